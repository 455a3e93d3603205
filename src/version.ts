/** The fivelens version, recorded in every result. Keep in step with package.json. */
export const FIVELENS_VERSION = '0.1.0';
