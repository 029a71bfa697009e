"""The one compiled part of the package: the warp's kernels (alignment/_kernels.c),
a plain shared library that alignment.dtw loads with ctypes. Everything else about the
package is in pyproject.toml."""

from setuptools import Extension, setup

setup(ext_modules=[Extension(
    "alignment._kernels", ["alignment/_kernels.c"],
    # the arithmetic as written, on every machine: no product and sum fused into one
    # rounding; -O3 vectorises the loops over states, which -fno-trapping-math lets it
    # do with selects for the comparisons (no result changes: nothing reads FP flags)
    extra_compile_args=["-O3", "-ffp-contract=off", "-fno-trapping-math", "-std=c99"],
)])
