/* CANBAO_API marks what libcanbao exports: the C ABI (canbao.h) and the
 * documented C++ API. The library is compiled with hidden visibility, so
 * anything not marked stays inside the shared library.
 *
 *   Windows: __declspec(dllexport) while building canbao (CANBAO_BUILDING),
 *            nothing for static consumers (CANBAO_STATIC, set by the CMake
 *            target canbao::canbao_static and by canbao-static.pc),
 *            else __declspec(dllimport).
 *   GCC/Clang elsewhere: visibility("default").
 *
 * Plain preprocessor, no C++: canbao.h (C99) includes this file too. */
#ifndef CANBAO_EXPORT_HPP
#define CANBAO_EXPORT_HPP

#if defined(_WIN32) || defined(__CYGWIN__)
#if defined(CANBAO_STATIC)
#define CANBAO_API
#elif defined(CANBAO_BUILDING)
#define CANBAO_API __declspec(dllexport)
#else
#define CANBAO_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define CANBAO_API __attribute__((visibility("default")))
#else
#define CANBAO_API
#endif

/* CANBAO_LOCAL: an implementation class nested in an exported one (a pimpl's
 * Impl), which would otherwise inherit the export. */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(_WIN32) && !defined(__CYGWIN__)
#define CANBAO_LOCAL __attribute__((visibility("hidden")))
#else
#define CANBAO_LOCAL
#endif

#endif /* CANBAO_EXPORT_HPP */
