/** The engine's version; template manifests name the range of engine versions they support. Equal to package.json. */
export const ENGINE_VERSION = '0.1.0';
