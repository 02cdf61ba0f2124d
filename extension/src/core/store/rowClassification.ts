// A row's class in its tree (docs/store.md, "Classification"): the intrinsic class kept at ingest, refined by
// the context rules of semantics/classification.ts for msgflux module spans only. The rules walk parents and
// children as ClassifiableNodes; here each row they visit gets one adapter for the whole classification (so
// `child.parent === node` holds, as the rules check), whose span is the reader's probe: no span is decoded.
// RowClasses keeps the results for the store's current change version, so the timeline and a
// comparison, which ask for every row of a 100k-span run, walk each neighbourhood once (docs/store.md, "Performance").
import type { Span } from '../model/span';
import { type ClassifiableNode, refineClass } from '../semantics/classification';
import { SPAN_CLASSES, type SpanClass } from '../semantics/spanClass';
import type { RowReader } from './rowReader';

/** What classification reads of the tree, with inferred nesting already up to date. */
export interface ClassTree {
  parentOf(row: number): number;
  childrenOf(row: number): Int32Array;
}

class RowContext implements ClassifiableNode {
  private probe: Span | undefined | null = null;
  private kids: readonly RowContext[] | undefined | null = null;

  constructor(
    private readonly walk: ContextWalk,
    readonly row: number,
  ) {}

  get span(): Span | undefined {
    if (this.probe === null) this.probe = this.walk.reader.classProbe(this.row);
    return this.probe;
  }

  get parent(): RowContext | undefined {
    const p = this.walk.tree.parentOf(this.row);
    return p >= 0 ? this.walk.at(p) : undefined;
  }

  get children(): readonly RowContext[] | undefined {
    if (this.kids === null) {
      const rows = this.walk.tree.childrenOf(this.row);
      this.kids = rows.length === 0 ? undefined : Array.from(rows, r => this.walk.at(r));
    }
    return this.kids;
  }
}

/** The adapters of one classification. */
class ContextWalk {
  private readonly seen = new Map<number, RowContext>();

  constructor(
    readonly reader: RowReader,
    readonly tree: ClassTree,
  ) {}

  at(row: number): RowContext {
    let c = this.seen.get(row);
    if (c === undefined) this.seen.set(row, (c = new RowContext(this, row)));
    return c;
  }
}

/**
 * The computation on its own, every adapter made for this call: the reference RowClasses is tested against
 * (test/unit/store/rowClasses.test.ts).
 */
export function classOfRow(reader: RowReader, tree: ClassTree, row: number): SpanClass {
  const intrinsic = reader.intrinsicClass(row);
  // Only msgflux module spans are refined by their neighbours (semantics/classification.ts CONTEXT_RULES).
  if (intrinsic !== 'flow' && intrinsic !== 'module') return intrinsic;
  return refineClass(new ContextWalk(reader, tree).at(row), intrinsic, n => reader.intrinsicClass((n as RowContext).row));
}


/**
 * Classes in context for one store, kept until its change version moves (a new span, an edge inferred, an
 * eviction: anything that can change a row's neighbours). Rows the rules cannot refine (not flow or module on
 * their own) are answered from their row bits without a look at the cache.
 */
export class RowClasses {
  private version = -1;
  /** Per row: 0 not known yet, else 1 + the index in SPAN_CLASSES. */
  private codes = new Uint8Array(0);
  private readonly intrinsicOf = (n: ClassifiableNode): SpanClass => this.reader.intrinsicClass((n as RowNode).row);

  constructor(
    private readonly reader: RowReader,
    private readonly tree: ClassTree,
    private readonly versionOf: () => number,
  ) {}

  /** classOfRow(reader, tree, row), with the tree's inferred nesting already up to date. */
  classOf(row: number): SpanClass {
    const intrinsic = this.reader.intrinsicClass(row);
    if (intrinsic !== 'flow' && intrinsic !== 'module') return intrinsic;
    const version = this.versionOf();
    if (version !== this.version) {
      this.version = version;
      this.codes.fill(0);
    }
    let codes = this.codes;
    if (row >= codes.length) {
      codes = new Uint8Array(Math.max(1024, row + 1, codes.length * 2));
      codes.set(this.codes);
      this.codes = codes;
    }
    const known = codes[row]!;
    if (known !== 0) return SPAN_CLASSES[known - 1]!;
    // Fresh adapters per classification: kept from one row to the next (in a Map, even one emptied per row) they
    // cost more than they save, old-generation garbage (measured, docs/store.md "Performance").
    const cls = refineClass(new RowWalk(this.reader, this.tree).at(row), intrinsic, this.intrinsicOf);
    codes[row] = CLASS_CODE[cls];
    return cls;
  }
}

const CLASS_CODE = Object.fromEntries(SPAN_CLASSES.map((c, i) => [c, i + 1])) as Record<SpanClass, number>;

/**
 * RowContext without the Map: a classification visits a handful of rows (the row, its parent and grandparent,
 * its children), so they are kept in an array and searched. Children are made knowing their parent, so
 * `child.parent === node` holds without a search; a row listed twice among the children (never expected) would
 * get two adapters, which the rules cannot tell apart (they compare a child's parent with the node).
 */
class RowNode implements ClassifiableNode {
  private probe: Span | undefined | null = null;
  up: RowNode | undefined | null = null;
  private kids: readonly RowNode[] | undefined | null = null;

  constructor(
    private readonly walk: RowWalk,
    readonly row: number,
  ) {}

  get span(): Span | undefined {
    if (this.probe === null) this.probe = this.walk.reader.classProbe(this.row);
    return this.probe;
  }

  get parent(): RowNode | undefined {
    if (this.up === null) {
      const p = this.walk.tree.parentOf(this.row);
      this.up = p >= 0 ? this.walk.at(p) : undefined;
    }
    return this.up;
  }

  get children(): readonly RowNode[] | undefined {
    if (this.kids === null) {
      const walk = this.walk;
      const rows = walk.tree.childrenOf(this.row);
      if (rows.length === 0) this.kids = undefined;
      else {
        const before = walk.nodes.length;
        const kids: RowNode[] = new Array<RowNode>(rows.length);
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i]!;
          let c = walk.find(r, before);
          if (c === undefined) walk.nodes.push((c = new RowNode(walk, r)));
          if (c.up === null && walk.tree.parentOf(r) === this.row) c.up = this;
          kids[i] = c;
        }
        this.kids = kids;
      }
    }
    return this.kids;
  }
}

/** The adapters of one classification, in the order made. */
class RowWalk {
  readonly nodes: RowNode[] = [];

  constructor(
    readonly reader: RowReader,
    readonly tree: ClassTree,
  ) {}

  /** The adapter of `row` among the first `count` made, if any. */
  find(row: number, count: number): RowNode | undefined {
    const nodes = this.nodes;
    for (let i = 0; i < count; i++) if (nodes[i]!.row === row) return nodes[i];
    return undefined;
  }

  at(row: number): RowNode {
    let c = this.find(row, this.nodes.length);
    if (c === undefined) this.nodes.push((c = new RowNode(this, row)));
    return c;
  }
}
