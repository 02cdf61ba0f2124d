/** The instrumentation scope of every span the SDK creates: the Python msgtrace-sdk's name and version. */
export const SCOPE_NAME = 'msgtrace.sdk';
export const SCOPE_VERSION = '0.1.0';
