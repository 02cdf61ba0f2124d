// A command's parameters are described once, as a value: their TypeScript type is inferred from the
// description (`Infer`), and the host checks what the page sent against the same description at run time. A
// parameter's name, type and bounds therefore cannot differ between what the page may send and what the host
// accepts, and adding a parameter is one edit. Only what the commands need is here: integers, text, objects.

export interface Schema<T> {
  /** Whether `value` (untrusted: it crossed a message boundary) is exactly a T within the described bounds. */
  is(value: unknown): value is T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

/** A safe integer in [min, max]. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): Schema<number> {
  return { is: (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max };
}

export interface TextBounds {
  readonly maxLength: number;
  readonly minLength?: number;
  /** A substring the text must not hold. */
  readonly without?: string;
}

export function text({ maxLength, minLength = 0, without }: TextBounds): Schema<string> {
  return {
    is: (v: unknown): v is string =>
      typeof v === 'string' && v.length >= minLength && v.length <= maxLength && (without === undefined || !v.includes(without)),
  };
}

type Fields = Readonly<Record<string, Schema<unknown>>>;
type NoFields = Record<never, never>;
/** One object type instead of an intersection, so hovers and error messages show the fields. */
type Flatten<T> = { [K in keyof T]: T[K] };

export type ObjectOf<Required extends Fields, Optional extends Fields = NoFields> = Flatten<
  { readonly [K in keyof Required]: Infer<Required[K]> } & { readonly [K in keyof Optional]?: Infer<Optional[K]> }
>;

/** Structured clone and JSON give plain objects; anything else (arrays, buffers, class instances) is not params. */
function isPlainObject(v: unknown): v is Readonly<Record<string, unknown>> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * An object with exactly these fields: every required one, optional ones present or not (an optional field
 * holding undefined counts as absent), and no others: an extra key means a sender this protocol does not know.
 */
export function object<Required extends Fields, Optional extends Fields = NoFields>(
  required: Required,
  optional?: Optional,
): Schema<ObjectOf<Required, Optional>> {
  const requiredKeys = Object.keys(required);
  const optionalFields: Fields = optional ?? {};
  return {
    is: (v: unknown): v is ObjectOf<Required, Optional> => {
      if (!isPlainObject(v)) return false;
      for (const k of requiredKeys) if (!Object.hasOwn(v, k) || !required[k]!.is(v[k])) return false;
      for (const k of Object.keys(v)) {
        if (Object.hasOwn(required, k)) continue;
        if (!Object.hasOwn(optionalFields, k)) return false;
        if (v[k] !== undefined && !optionalFields[k]!.is(v[k])) return false;
      }
      return true;
    },
  };
}
