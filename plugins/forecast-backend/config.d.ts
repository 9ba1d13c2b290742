export interface Config {
  forecast?: {
    /** Settings of the forecast backend plugin, which serves the entity page. */
    backend?: {
      /**
       * Seconds a cached AWS list result (executions, exports, stack
       * description) is served without asking AWS again. Defaults to 30.
       * A rerun clears the cache of its workload at once.
       * @visibility backend
       */
      cacheTtlSeconds?: number;
      /**
       * Seconds a cached result is kept so it can be served, marked stale,
       * when AWS throttles. Defaults to 900.
       * @visibility backend
       */
      staleTtlSeconds?: number;
      /**
       * Executions per page when a request gives no pageSize, 1 to 100.
       * Defaults to 20.
       * @visibility backend
       */
      defaultPageSize?: number;
      /**
       * Forecast export jobs listed per workload, newest first. Defaults to 10.
       * @visibility backend
       */
      maxExports?: number;
      /**
       * Actual values shown before the forecast starts in the series chart.
       * Defaults to 104.
       * @visibility backend
       */
      actualsPoints?: number;
      /**
       * Bytes of CSV the series route reads from S3 per answer, for the
       * export and for the imported data each. Defaults to 52428800 (50 MiB).
       * @visibility backend
       */
      maxCsvBytes?: number;
    };
  };
}
