// msgtrace for TypeScript. The public API arrives with the SDK issue; this entry keeps the package buildable.
export const SCOPE_NAME = 'msgtrace.sdk';
