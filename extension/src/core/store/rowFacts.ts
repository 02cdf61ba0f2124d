// Bits of TraceStore.rowFacts(): what a view reads of a row without decoding its span.
export const ROW_PLACEHOLDER = 1;
export const ROW_ERROR = 2;
export const ROW_INFERRED = 4;
export const ROW_CHILDREN = 8;
export const ROW_USAGE = 16;
export const ROW_SOURCE = 32;
export const ROW_EVENTS = 64;
