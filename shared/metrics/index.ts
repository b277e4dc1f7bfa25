/** The metric engine (docs/metrics.md): agreement coefficients, intervals, position bias, rates. */
export * from './bootstrap';
export * from './cohen';
export * from './fleiss';
export * from './kendall';
export * from './krippendorff';
export * from './percent';
export * from './position-bias';
export * from './preferences';
export * from './rates';
export * from './ratings';
export * from './result';
export * from './tags';
export * from './time';
export * from './wilson';
