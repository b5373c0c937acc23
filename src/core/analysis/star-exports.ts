/**
 * What nb2prod knows, without running Python, about the names `from m import *` brings in for
 * a few modules notebooks star-import. NB109 uses it to decide whether replacing a star import
 * with explicit names keeps behaviour. The lists are deliberately partial: a name listed here
 * is certainly exported by the star import (checked against CPython 3.11, numpy 1.24 and
 * matplotlib 3.6); a name not listed may or may not be.
 */

/** Knowledge about one module's star exports. */
export interface StarExports {
  /** Public names that `from <module> import *` certainly binds. */
  names: ReadonlySet<string>;
  /**
   * Builtins the star import replaces (numpy's `sum`, `any`, `all`, `divmod`; math's `pow`): a
   * read of one of these after the star import gets the module's version, so the explicit
   * import must keep it.
   */
  shadowsBuiltins: ReadonlySet<string>;
}

const words = (text: string): ReadonlySet<string> => new Set(text.split(/\s+/).filter(Boolean));

const KNOWN: Readonly<Record<string, StarExports>> = {
  math: {
    names: words(`acos acosh asin asinh atan atan2 atanh ceil comb copysign cos cosh degrees dist e erf erfc
      exp expm1 fabs factorial floor fmod frexp fsum gamma gcd hypot inf isclose isfinite isinf isnan isqrt
      lcm ldexp lgamma log log10 log1p log2 modf nan nextafter perm pi pow prod radians remainder sin sinh
      sqrt tan tanh tau trunc ulp`),
    shadowsBuiltins: words('pow'),
  },
  numpy: {
    names: words(`all any divmod sum array asarray zeros ones empty full zeros_like ones_like arange linspace
      eye identity mean median std var average percentile quantile sqrt exp log log10 log2 sin cos tan tanh
      arctan2 degrees radians pi e nan inf isnan isclose allclose floor ceil absolute maximum minimum clip
      where concatenate stack vstack hstack reshape transpose squeeze expand_dims flip roll tile repeat
      argmax argmin argsort sort unique cumsum prod diff dot outer cross einsum trace diag corrcoef cov
      meshgrid histogram interp polyfit polyval count_nonzero logical_and logical_or sign power square mod
      nanmean nansum nanstd nanmax nanmin newaxis ndarray float32 float64 int32 int64 bool_ random linalg
      fft`),
    shadowsBuiltins: words('all any divmod sum'),
  },
  random: {
    names: words(`random randint randrange choice choices shuffle sample uniform gauss normalvariate seed
      betavariate expovariate triangular getrandbits Random SystemRandom`),
    shadowsBuiltins: words(''),
  },
  'os.path': {
    names: words(`join exists isfile isdir basename dirname abspath splitext split expanduser getsize
      realpath relpath normpath isabs getmtime`),
    shadowsBuiltins: words(''),
  },
  'matplotlib.pyplot': {
    names: words(`plot show figure subplots subplot xlabel ylabel title legend scatter hist bar barh
      savefig close grid xlim ylim xticks yticks tight_layout imshow colorbar axhline axvline boxplot pie
      fill_between errorbar text annotate suptitle gca gcf clf`),
    shadowsBuiltins: words(''),
  },
};

/** What nb2prod knows about `module`'s star exports, or undefined for modules it does not know. */
export function knownStarExports(module: string): StarExports | undefined {
  return Object.hasOwn(KNOWN, module) ? KNOWN[module] : undefined;
}
