/**
 * Who this SDK is. `SDK_VERSION` is the package's version (package.json's `version`, held to this
 * by test/package.test.mjs); its major is the wire protocol version, `PROTOCOL_VERSION`. The SDK
 * names itself to the gateway in its `auth` frame as `SDK_AGENT`.
 */

export const SDK_NAME = 'herald-browser';
export const SDK_VERSION = '1.0.0';
export const PROTOCOL_VERSION = 1;

/** What the `auth` frame's `sdk` field carries: `herald-browser/1.0.0`. */
export const SDK_AGENT = `${SDK_NAME}/${SDK_VERSION}`;
