// The scanned symbols of many files, looked up by normalized name (nameMatching.ts). Files are replaced or
// dropped one at a time as the file watcher reports changes, so the index never rebuilds as a whole.
import { nameKey } from './nameMatching';
import type { SourceSymbol } from './symbolScanner';

export interface IndexedSymbol extends SourceSymbol {
  /** As the host gave it (a URI string or a path): the index does not interpret it. */
  readonly file: string;
}

export class SymbolIndex {
  private readonly files = new Map<string, readonly IndexedSymbol[]>();
  private readonly byKey = new Map<string, IndexedSymbol[]>();

  get fileCount(): number {
    return this.files.size;
  }

  has(file: string): boolean {
    return this.files.has(file);
  }

  symbolsOf(file: string): readonly IndexedSymbol[] {
    return this.files.get(file) ?? [];
  }

  set(file: string, symbols: readonly SourceSymbol[]): void {
    this.delete(file);
    const indexed = symbols.map(s => ({ ...s, file }));
    this.files.set(file, indexed);
    for (const s of indexed) {
      const key = nameKey(s.name);
      if (!key) continue;
      let list = this.byKey.get(key);
      if (!list) this.byKey.set(key, (list = []));
      list.push(s);
    }
  }

  delete(file: string): void {
    const old = this.files.get(file);
    if (!old) return;
    this.files.delete(file);
    for (const s of old) {
      const key = nameKey(s.name);
      const list = this.byKey.get(key);
      if (!list) continue;
      const kept = list.filter(x => x.file !== file);
      if (kept.length) this.byKey.set(key, kept);
      else this.byKey.delete(key);
    }
  }

  clear(): void {
    this.files.clear();
    this.byKey.clear();
  }

  /** Symbols whose name matches `name` ignoring case and separators. */
  lookup(name: string): readonly IndexedSymbol[] {
    return this.byKey.get(nameKey(name)) ?? [];
  }
}
