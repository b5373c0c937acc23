/**
 * The names `%pylab` (IPython's `import_pylab`) puts in the kernel namespace: `np`, `plt` and
 * the modules it imports, then everything `from pylab import *` and `from numpy import *` bind,
 * plus `display`, `figsize` and `getfigs`. Builtins are left out (they are defined anyway).
 * Generated with numpy 1.24 and matplotlib 3.6 (older notebooks rely on names numpy 2 removed,
 * which 1.24 still has); regenerate with the command in the comment below.
 */
// MPLBACKEND=Agg python3 -c "import builtins; ns = {}; exec('import numpy\nimport matplotlib\nfrom matplotlib import pylab, mlab, pyplot\nnp = numpy\nplt = pyplot\nfrom pylab import *\nfrom numpy import *', ns); print(' '.join(sorted(n for n in set(ns) | {'display', 'figsize', 'getfigs'} if not n.startswith('__') and n not in dir(builtins))))"

/** What `%pylab --no-import-all` binds: the modules and IPython's helpers only. */
export const PYLAB_MODULES: ReadonlySet<string> = new Set(['numpy', 'matplotlib', 'pylab', 'mlab', 'pyplot', 'np', 'plt', 'display', 'figsize', 'getfigs']);

/** Everything plain `%pylab` binds. */
export const PYLAB_NAMES: ReadonlySet<string> = new Set(
  `
  ALLOW_THREADS Annotation Arrow Artist AutoLocator Axes AxisError BUFSIZE BitGenerator Button CLIP
  Circle ComplexWarning DAILY DataSource DateFormatter DateLocator DayLocator ERR_CALL ERR_DEFAULT
  ERR_IGNORE ERR_LOG ERR_PRINT ERR_RAISE ERR_WARN Enum ExitStack FLOATING_POINT_SUPPORT
  FPE_DIVIDEBYZERO FPE_INVALID FPE_OVERFLOW FPE_UNDERFLOW FR False_ Figure FigureBase FigureCanvasBase
  FixedFormatter FixedLocator FormatStrFormatter Formatter FuncFormatter Generator GridSpec HOURLY
  HourLocator IndexLocator Inf Infinity LinAlgError Line2D LinearLocator Locator LogFormatter
  LogFormatterExponent LogFormatterMathtext LogLocator MAXDIMS MAY_SHARE_BOUNDS MAY_SHARE_EXACT
  MINUTELY MO MONTHLY MT19937 MaxNLocator MinuteLocator ModuleDeprecationWarning MonthLocator
  MouseButton MultipleLocator NAN NINF NZERO NaN Normalize NullFormatter NullLocator Number PCG64
  PCG64DXSM PINF PZERO Philox PolarAxes Polygon RAISE RRuleLocator RandomState RankWarning Rectangle
  SA SECONDLY SFC64 SHIFT_DIVIDEBYZERO SHIFT_INVALID SHIFT_OVERFLOW SHIFT_UNDERFLOW SU ScalarFormatter
  ScalarType SecondLocator SeedSequence Slider Subplot SubplotSpec TH TU Text TickHelper TooHardError
  True_ UFUNC_BUFSIZE_DEFAULT UFUNC_PYVALS_NAME VisibleDeprecationWarning WE WEEKLY WRAP
  WeekdayLocator Widget YEARLY YearLocator _UFUNC_API _add_newdoc_ufunc _get_promotion_state
  _no_nep50_warning _set_promotion_state absolute acorr add add_docstring add_newdoc add_newdoc_ufunc
  allclose alltrue amax amin angle angle_spectrum annotate append apply_along_axis apply_over_axes
  arange arccos arccosh arcsin arcsinh arctan arctan2 arctanh argmax argmin argpartition argsort
  argwhere around array array2string array_equal array_equiv array_repr array_split array_str arrow
  asanyarray asarray asarray_chkfinite ascontiguousarray asfarray asfortranarray asmatrix atleast_1d
  atleast_2d atleast_3d autoscale autumn average axes axhline axhspan axis axline axvline axvspan bar
  bar_label barbs barh bartlett base_repr beta binary_repr bincount binomial bitwise_and bitwise_not
  bitwise_or bitwise_xor blackman block bmat bone bool_ box boxplot broadcast broadcast_arrays
  broadcast_shapes broadcast_to broken_barh busday_count busday_offset busdaycalendar byte byte_bounds
  bytes_ c_ can_cast cast cbook cbrt cdouble ceil cfloat char character chararray chisquare choice
  cholesky choose cla clabel clf clim clip clongdouble clongfloat close cm cohere color_sequences
  colorbar colormaps column_stack common_type compare_chararrays complex128 complex256 complex64
  complex_ complexfloating compress concatenate cond conj conjugate connect contour contourf convolve
  cool copper copy copysign copyto corrcoef correlate cos cosh count_nonzero cov cross csd csingle
  ctypeslib cumprod cumproduct cumsum cycler date2num datestr2num datetime datetime64
  datetime_as_string datetime_data default_rng deg2rad degrees delaxes delete deprecate
  deprecate_with_doc det detrend detrend_linear detrend_mean detrend_none diag diag_indices
  diag_indices_from diagflat diagonal diff digitize dirichlet disconnect disp display divide dot
  double drange draw draw_all draw_if_interactive dsplit dstack dtype e ediff1d eig eigh eigvals
  eigvalsh einsum einsum_path emath empty empty_like epoch2num equal errorbar errstate euler_gamma
  eventplot exp exp2 expand_dims expm1 exponential extract eye f fabs fastCopyAndTranspose fft fft2
  fftfreq fftn fftshift figaspect figimage figlegend fignum_exists figsize figtext figure fill
  fill_between fill_betweenx fill_diagonal find_common_type findobj finfo fix flag flatiter
  flatnonzero flatten flexible flip fliplr flipud float128 float16 float32 float64 float_ float_power
  floating floor floor_divide fmax fmin fmod format_float_positional format_float_scientific
  format_parser frexp from_dlpack frombuffer fromfile fromfunction fromiter frompyfunc fromregex
  fromstring full full_like functools gamma gca gcd gcf gci generic genfromtxt geometric geomspace get
  get_array_wrap get_backend get_cmap get_current_fig_manager get_figlabels get_fignums get_include
  get_plot_commands get_printoptions get_scale_names get_state getbufsize geterr geterrcall geterrobj
  getfigs getp ginput gradient gray greater greater_equal grid gumbel half hamming hanning heaviside
  hexbin hfft hist hist2d histogram histogram2d histogram_bin_edges histogramdd hlines hot hsplit
  hstack hsv hypergeometric hypot i0 identity ifft ifft2 ifftn ifftshift ihfft iinfo imag importlib
  imread imsave imshow in1d index_exp indices inexact inf inferno info infty inner insert inspect
  install_repl_displayhook int16 int32 int64 int8 int_ intc integer interactive interp intersect1d
  intp inv invert ioff ion irfft irfft2 irfftn is_busday isclose iscomplex iscomplexobj isfinite
  isfortran isin isinf isinteractive isnan isnat isneginf isposinf isreal isrealobj isscalar issctype
  issubclass_ issubdtype issubsctype iterable ix_ jet kaiser kron laplace lcm ldexp left_shift legend
  less less_equal lexsort linalg linspace little_endian load loadtxt locator_params log log10 log1p
  log2 logaddexp logaddexp2 logging logical_and logical_not logical_or logical_xor logistic loglog
  lognormal logseries logspace longcomplex longdouble longfloat longlong lookfor lstsq ma magma
  magnitude_spectrum margins mask_indices mat math matmul matplotlib matrix matrix_power matrix_rank
  matshow maximum maximum_sctype may_share_memory mean median memmap meshgrid mgrid min_scalar_type
  minimum minorticks_off minorticks_on mintypecode mlab mod modf moveaxis mpl msort multi_dot
  multinomial multiply multivariate_normal nan nan_to_num nanargmax nanargmin nancumprod nancumsum
  nanmax nanmean nanmedian nanmin nanpercentile nanprod nanquantile nanstd nansum nanvar nbytes
  ndarray ndenumerate ndim ndindex nditer negative negative_binomial nested_iters new_figure_manager
  newaxis nextafter nipy_spectral noncentral_chisquare noncentral_f nonzero norm normal not_equal np
  num2date num2epoch number numpy obj2sctype object_ ogrid ones ones_like outer packbits pad pareto
  partition pause pcolor pcolormesh percentile permutation phase_spectrum pi pie piecewise pink pinv
  place plasma plot plot_date plt poisson polar poly poly1d polyadd polyder polydiv polyfit polyint
  polymul polysub polyval positive power printoptions prism prod product promote_types psd ptp put
  put_along_axis putmask pylab pyplot qr quantile quiver quiverkey r_ rad2deg radians rand randint
  randn random random_integers random_sample ranf ravel ravel_multi_index rayleigh rc rcParams
  rcParamsDefault rcParamsOrig rc_context rcdefaults rcsetup re real real_if_close rec recarray
  recfromcsv recfromtxt reciprocal record register_cmap relativedelta remainder repeat require reshape
  resize result_type rfft rfft2 rfftfreq rfftn rgrids right_shift rint roll rollaxis roots rot90
  round_ row_stack rrule s_ safe_eval sample save savefig savetxt savez savez_compressed sca scatter
  sci sctype2char sctypeDict sctypes searchsorted seed select semilogx semilogy set_cmap set_loglevel
  set_numeric_ops set_printoptions set_state set_string_function setbufsize setdiff1d seterr
  seterrcall seterrobj setp setxor1d shape shares_memory short show show_config show_runtime shuffle
  sign signbit signedinteger silent_list sin sinc single singlecomplex sinh size slogdet solve
  sometrue sort sort_complex source spacing specgram split spring spy sqrt square squeeze stack
  stackplot stairs standard_cauchy standard_exponential standard_gamma standard_normal standard_t std
  stem step str_ streamplot string_ style subplot subplot2grid subplot_mosaic subplot_tool subplots
  subplots_adjust subtract summer suptitle svd swapaxes switch_backend sys table take take_along_axis
  tan tanh tensordot tensorinv tensorsolve text thetagrids threading tick_params ticklabel_format
  tight_layout tile time timedelta64 title trace tracemalloc_domain transpose trapz tri triangular
  tricontour tricontourf tril tril_indices tril_indices_from trim_zeros tripcolor triplot triu
  triu_indices triu_indices_from true_divide trunc twinx twiny typecodes typename ubyte ufunc uint
  uint16 uint32 uint64 uint8 uintc uintp ulonglong unicode_ uniform uninstall_repl_displayhook union1d
  unique unpackbits unravel_index unsignedinteger unwrap ushort vander var vdot vectorize violinplot
  viridis vlines void vonmises vsplit vstack waitforbuttonpress wald weibull where who window_hanning
  window_none winter xcorr xkcd xlabel xlim xscale xticks ylabel ylim yscale yticks zeros zeros_like
  zipf
`
    .split(/\s+/)
    .filter(Boolean),
);
