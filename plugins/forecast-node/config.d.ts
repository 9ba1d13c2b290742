export interface Config {
  /** Settings of the Amazon Forecast pipeline plugins. */
  forecast?: {
    aws?: {
      /**
       * Account that deployments go to when the template form gives none.
       * @visibility backend
       */
      accountId?: string;
      /**
       * Region that deployments go to when the template form gives none.
       * Defaults to us-east-1.
       * @visibility backend
       */
      region?: string;
      /**
       * Endpoint every AWS client is pointed at instead of AWS, for example a
       * sandbox on another port. Unset for real AWS.
       * @visibility backend
       */
      endpoint?: string;
    };
    sandbox?: {
      /**
       * Start the offline AWS sandbox inside the backend and point every AWS
       * client of the plugins at it. Defaults to false.
       * @visibility backend
       */
      enabled?: boolean;
      /**
       * Port the sandbox listens on, on 127.0.0.1. Defaults to 4566.
       * @visibility backend
       */
      port?: number;
      /**
       * Folder the sandbox keeps its state in. Defaults to `.sandbox-data`
       * under the backend's working directory.
       * @visibility backend
       */
      dataDir?: string;
      /**
       * Divides every Step Functions Wait state by this factor, so a
       * five-minute poll takes a fraction of a second. Defaults to 1000.
       * @visibility backend
       */
      waitCompression?: number;
    };
  };
}
