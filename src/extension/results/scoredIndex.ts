import type { KnownFile } from '../../protocol/engine';
import type { CalibratedSignal, ImageMeasures, ScoredImage } from '../../protocol/scanResults';
import { CALIBRATED_SIGNALS } from '../../protocol/scanResults';
import type { StorePlace } from './resultStore';

const INITIAL_CAPACITY = 1024;

/** The calibrated measures of an image besides its instance score: what tail probabilities are taken of. */
const SIGNAL_MEASURES = ['semanticLogProb', 'brightness', 'entropy', 'sharpness'] as const;
type SignalMeasure = (typeof SIGNAL_MEASURES)[number];

/** An image's values of the calibrated signals, as the index keeps them (the engine's `SignalValues`). */
export interface IndexedSignalValues {
  readonly instanceScore: number;
  readonly semanticLogProb: number;
  readonly measures?: Pick<ImageMeasures, 'brightness' | 'entropy' | 'sharpness'>;
}

/**
 * What the host keeps of each scored image, a slot per path: its path, score, file key (size,
 * mtime, the rare content digest), each calibrated signal's tail probability and the measure it is
 * taken of, and where its record lies in the store, in typed columns (about 72 bytes, 8 more per
 * calibrated signal, plus the path per image). A path scored again keeps its slot.
 */
export class ScoredIndex {
  private readonly slotByPath = new Map<string, number>();
  private readonly paths: string[] = [];
  private readonly digests = new Map<number, string>();
  private scoreColumn = new Float64Array(INITIAL_CAPACITY);
  private sizeColumn = new Float64Array(INITIAL_CAPACITY);
  private mtimeColumn = new Float64Array(INITIAL_CAPACITY);
  private offsetColumn = new Float64Array(INITIAL_CAPACITY);
  private lengthColumn = new Uint32Array(INITIAL_CAPACITY);
  /** 0 where the path's latest result is no longer a scored image (it failed since). */
  private liveColumn = new Uint8Array(INITIAL_CAPACITY);
  /** Tail probability per signal (NaN: the image has none), made when the first image carrying that signal comes; Float64 because p goes down to 1e-300. */
  private tailColumns: Partial<Record<CalibratedSignal, Float64Array>> = {};
  /** The measures the tails are taken of (NaN: none), so a new calibration re-tails every image without reading the store. */
  private measureColumns: Record<SignalMeasure, Float64Array> = {
    semanticLogProb: new Float64Array(INITIAL_CAPACITY),
    brightness: new Float64Array(INITIAL_CAPACITY),
    entropy: new Float64Array(INITIAL_CAPACITY),
    sharpness: new Float64Array(INITIAL_CAPACITY),
  };
  private liveSlots = 0;

  /** Slots in all, live or not (a slot is never reused by another path). */
  get slotCount(): number {
    return this.paths.length;
  }

  /** Scored images held. */
  get liveCount(): number {
    return this.liveSlots;
  }

  /** Sets the image of its path (a new slot or the path's own); says whether the path was already live. */
  put(image: Pick<ScoredImage, 'relativePath' | 'instanceScore' | 'size' | 'mtimeMs' | 'contentDigest' | 'tailProbabilities'> & Partial<IndexedSignalValues>, place: StorePlace): { slot: number; replaced: boolean } {
    let slot = this.slotByPath.get(image.relativePath);
    if (slot === undefined) {
      slot = this.paths.length;
      this.grow(slot + 1);
      this.paths.push(image.relativePath);
      this.slotByPath.set(image.relativePath, slot);
    }
    const replaced = this.liveColumn[slot] === 1;
    if (!replaced) this.liveSlots++;
    this.liveColumn[slot] = 1;
    this.scoreColumn[slot] = image.instanceScore;
    this.sizeColumn[slot] = image.size;
    this.mtimeColumn[slot] = image.mtimeMs;
    this.offsetColumn[slot] = place.offset;
    this.lengthColumn[slot] = place.length;
    if (image.contentDigest === undefined) this.digests.delete(slot);
    else this.digests.set(slot, image.contentDigest);
    this.setTails(slot, image.tailProbabilities);
    this.measureColumns.semanticLogProb[slot] = image.semanticLogProb ?? Number.NaN;
    this.measureColumns.brightness[slot] = image.measures?.brightness ?? Number.NaN;
    this.measureColumns.entropy[slot] = image.measures?.entropy ?? Number.NaN;
    this.measureColumns.sharpness[slot] = image.measures?.sharpness ?? Number.NaN;
    return { slot, replaced };
  }

  /** Sets the tail probabilities of `slot` (a signal without one: NaN). */
  setTails(slot: number, tails: ScoredImage['tailProbabilities']): void {
    for (const signal of CALIBRATED_SIGNALS) {
      const p = tails?.[signal];
      const column = this.tailColumns[signal] ?? (p === undefined ? undefined : this.addTailColumn(signal));
      if (column) column[slot] = p ?? Number.NaN;
    }
  }

  /** The values the tails of `slot` are taken of. */
  valuesOf(slot: number): IndexedSignalValues {
    const column = this.measureColumns;
    const measured = !Number.isNaN(column.brightness[slot]);
    const values = { instanceScore: this.scoreColumn[slot], semanticLogProb: column.semanticLogProb[slot] };
    return measured ? { ...values, measures: { brightness: column.brightness[slot], entropy: column.entropy[slot], sharpness: column.sharpness[slot] } } : values;
  }

  /** Drops the scored image of `relativePath` (its file failed since); says whether there was one. */
  drop(relativePath: string): boolean {
    const slot = this.slotByPath.get(relativePath);
    if (slot === undefined || this.liveColumn[slot] === 0) return false;
    this.liveColumn[slot] = 0;
    this.liveSlots--;
    return true;
  }

  /** The live slot of `relativePath`, if any. */
  slotOf(relativePath: string): number | undefined {
    const slot = this.slotByPath.get(relativePath);
    return slot !== undefined && this.liveColumn[slot] === 1 ? slot : undefined;
  }

  /** Whether `slot` holds a scored image. */
  isLive(slot: number): boolean {
    return this.liveColumn[slot] === 1;
  }

  pathOf(slot: number): string {
    return this.paths[slot];
  }

  scoreOf(slot: number): number {
    return this.scoreColumn[slot];
  }

  /** The tail probability of `signal` in `slot`; NaN where the image has none. */
  tailOf(slot: number, signal: CalibratedSignal): number {
    return this.tailColumns[signal]?.[slot] ?? Number.NaN;
  }

  /** The tail probabilities of `signal`, a slot each (NaN: none; longer than `slotCount`), or undefined when no image carries it. Read only. */
  tailColumn(signal: CalibratedSignal): Float64Array | undefined {
    return this.tailColumns[signal];
  }

  /** The tail probabilities of `slot` (what `put` took). */
  tailsOf(slot: number): Partial<Record<CalibratedSignal, number>> | undefined {
    const tails = Object.fromEntries(CALIBRATED_SIGNALS.map((signal) => [signal, this.tailOf(slot, signal)]).filter(([, p]) => !Number.isNaN(p)));
    return Object.keys(tails).length > 0 ? tails : undefined;
  }

  /** The calibrated signals some image carries a tail probability for, in the panel's order. */
  tailSignals(): CalibratedSignal[] {
    return CALIBRATED_SIGNALS.filter((signal) => this.tailColumns[signal] !== undefined);
  }

  placeOf(slot: number): StorePlace {
    return { offset: this.offsetColumn[slot], length: this.lengthColumn[slot] };
  }

  /** The key the engine compares with the file on disk. */
  knownFileOf(slot: number): KnownFile {
    const contentDigest = this.digests.get(slot);
    const file = { relativePath: this.paths[slot], size: this.sizeColumn[slot], mtimeMs: this.mtimeColumn[slot] };
    return contentDigest === undefined ? file : { ...file, contentDigest };
  }

  /** Live slots, in slot order. */
  liveSlotList(): Int32Array {
    const slots = new Int32Array(this.liveSlots);
    let next = 0;
    for (let slot = 0; slot < this.paths.length; slot++) if (this.liveColumn[slot] === 1) slots[next++] = slot;
    return slots;
  }

  private addTailColumn(signal: CalibratedSignal): Float64Array {
    const column = new Float64Array(this.scoreColumn.length).fill(Number.NaN);
    this.tailColumns[signal] = column;
    return column;
  }

  private grow(needed: number): void {
    if (needed <= this.scoreColumn.length) return;
    const capacity = Math.max(needed, this.scoreColumn.length * 2);
    const widen = <Column extends Float64Array | Uint32Array | Uint8Array>(column: Column, make: (length: number) => Column): Column => {
      const wider = make(capacity);
      wider.set(column);
      return wider;
    };
    this.scoreColumn = widen(this.scoreColumn, (length) => new Float64Array(length));
    this.sizeColumn = widen(this.sizeColumn, (length) => new Float64Array(length));
    this.mtimeColumn = widen(this.mtimeColumn, (length) => new Float64Array(length));
    this.offsetColumn = widen(this.offsetColumn, (length) => new Float64Array(length));
    this.lengthColumn = widen(this.lengthColumn, (length) => new Uint32Array(length));
    this.liveColumn = widen(this.liveColumn, (length) => new Uint8Array(length));
    for (const measure of SIGNAL_MEASURES) this.measureColumns[measure] = widen(this.measureColumns[measure], (length) => new Float64Array(length));
    for (const signal of this.tailSignals()) {
      this.tailColumns[signal] = widen(this.tailColumns[signal] as Float64Array, (length) => new Float64Array(length).fill(Number.NaN));
    }
  }
}
