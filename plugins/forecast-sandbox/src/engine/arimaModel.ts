import type ARIMA from 'arima';

type ArimaConstructor = typeof ARIMA;

let arimaClass: ArimaConstructor | undefined;

/** Loads the `arima` package (ctsa compiled to WebAssembly) on first use. */
function loadArima(): ArimaConstructor {
  if (!arimaClass) {
    // The package compiles its WebAssembly module when required, so it is
    // loaded lazily, inside the training worker. Its C code prints fitting
    // warnings ("non-stationary AR part") through console.log and
    // console.error bound at load time. They are dropped because every fit
    // is checked here and a failed one falls back to other models.
    /* eslint-disable no-console */
    const { log, error } = console;
    console.log = () => {};
    console.error = () => {};
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      arimaClass = require('arima') as ArimaConstructor;
    } finally {
      console.log = log;
      console.error = error;
    }
    /* eslint-enable no-console */
  }
  return arimaClass;
}

/**
 * Fits ARIMA(2,0,1) to `series` and forecasts `horizon` steps. Returns
 * undefined when the fit fails or produces non-finite or runaway values.
 */
export function fitArima(
  series: number[],
  horizon: number,
): number[] | undefined {
  const Arima = loadArima();
  let model;
  try {
    model = new Arima({ p: 2, d: 0, q: 1, verbose: false }).train(series);
    const [predicted] = model.predict(horizon);
    const values = Array.from(predicted);
    // A fixed order can diverge silently: reject forecasts far outside the
    // range of the series.
    const bound = 10 * Math.max(...series.map(Math.abs)) + 1;
    return values.length === horizon &&
      values.every(value => Number.isFinite(value) && Math.abs(value) <= bound)
      ? values
      : undefined;
  } catch {
    return undefined;
  } finally {
    model?.destroy();
  }
}
