import type { ImageMeasures } from '../../protocol/scanResults';

/** What the folder rules (odd sizes, duplicates, grey-as-RGB count) read of an image's measures. */
export type FolderMeasures = Pick<ImageMeasures, 'sourceWidth' | 'sourceHeight' | 'greyAsRgb' | 'pixelHash' | 'perceptualHash' | 'thumbnail'>;

const INITIAL_ROWS = 1024;
/** Bytes of each hash column: the hex digits `pixelHash`, `perceptualHash` and the 8 × 8 `thumbnail` are written with. */
const PIXEL_HASH_BYTES = 12;
const PERCEPTUAL_HASH_BYTES = 8;
const THUMBNAIL_BYTES = 64;
const NO_MEASURES = 0;
const GREY_UNKNOWN = 1;
const GREY_FALSE = 2;
const GREY_TRUE = 3;

/**
 * The folder rules' measures of a whole folder, a row per image, in typed columns: about 100 bytes
 * a row where the measures as objects with hex strings held about 500, which grew a scan's memory
 * with every image (docs/scale.md). Rows are read back as objects only when the rules run.
 */
export class FolderMeasureTable {
  private rowCount = 0;
  private capacity = INITIAL_ROWS;
  private sizes: Uint32Array = new Uint32Array(2 * INITIAL_ROWS);
  /** NO_MEASURES, or the grey-as-RGB state of a measured row. */
  private states: Uint8Array = new Uint8Array(INITIAL_ROWS);
  private pixelHashes: Uint8Array = new Uint8Array(PIXEL_HASH_BYTES * INITIAL_ROWS);
  private perceptualHashes: Uint8Array = new Uint8Array(PERCEPTUAL_HASH_BYTES * INITIAL_ROWS);
  private thumbnails: Uint8Array = new Uint8Array(THUMBNAIL_BYTES * INITIAL_ROWS);
  /** Hashes not in the hex form of their column's width (another version's), kept as they are, by row. */
  private readonly irregular = new Map<number, Pick<FolderMeasures, 'pixelHash' | 'perceptualHash' | 'thumbnail'>>();

  /** Rows in the table. */
  get length(): number {
    return this.rowCount;
  }

  /** Appends a row; returns its index. */
  push(measures: FolderMeasures | undefined): number {
    const row = this.rowCount;
    this.set(row, measures);
    return row;
  }

  /** Sets row `row` (a new row when it is the next one). */
  set(row: number, measures: FolderMeasures | undefined): void {
    if (row >= this.capacity) this.grow(Math.max(row + 1, 2 * this.capacity));
    this.rowCount = Math.max(this.rowCount, row + 1);
    this.irregular.delete(row);
    if (!measures) {
      this.states[row] = NO_MEASURES;
      return;
    }
    this.states[row] = measures.greyAsRgb === null ? GREY_UNKNOWN : measures.greyAsRgb ? GREY_TRUE : GREY_FALSE;
    this.sizes[2 * row] = measures.sourceWidth;
    this.sizes[2 * row + 1] = measures.sourceHeight;
    const regular = writeHex(this.pixelHashes, row, PIXEL_HASH_BYTES, measures.pixelHash)
      && writeHex(this.perceptualHashes, row, PERCEPTUAL_HASH_BYTES, measures.perceptualHash)
      && writeHex(this.thumbnails, row, THUMBNAIL_BYTES, measures.thumbnail);
    if (!regular) this.irregular.set(row, { pixelHash: measures.pixelHash, perceptualHash: measures.perceptualHash, thumbnail: measures.thumbnail });
  }

  /** The measures of row `row`, or undefined where the image was scanned without them. */
  at(row: number): FolderMeasures | undefined {
    const state = this.states[row];
    if (row >= this.rowCount || state === NO_MEASURES) return undefined;
    const hashes = this.irregular.get(row) ?? {
      pixelHash: readHex(this.pixelHashes, row, PIXEL_HASH_BYTES),
      perceptualHash: readHex(this.perceptualHashes, row, PERCEPTUAL_HASH_BYTES),
      thumbnail: readHex(this.thumbnails, row, THUMBNAIL_BYTES),
    };
    return { sourceWidth: this.sizes[2 * row], sourceHeight: this.sizes[2 * row + 1], greyAsRgb: state === GREY_UNKNOWN ? null : state === GREY_TRUE, ...hashes };
  }

  /** A table of the rows `rows`, in that order. */
  pick(rows: ArrayLike<number>): FolderMeasureTable {
    const picked = new FolderMeasureTable();
    for (let i = 0; i < rows.length; i++) picked.set(i, this.at(rows[i]));
    return picked;
  }

  private grow(capacity: number): void {
    const widen = (column: Uint8Array, width: number): Uint8Array => {
      const wider = new Uint8Array(width * capacity);
      wider.set(column);
      return wider;
    };
    const sizes = new Uint32Array(2 * capacity);
    sizes.set(this.sizes);
    this.sizes = sizes;
    this.states = widen(this.states, 1);
    this.pixelHashes = widen(this.pixelHashes, PIXEL_HASH_BYTES);
    this.perceptualHashes = widen(this.perceptualHashes, PERCEPTUAL_HASH_BYTES);
    this.thumbnails = widen(this.thumbnails, THUMBNAIL_BYTES);
    this.capacity = capacity;
  }
}

const HEX = /^[0-9a-f]*$/;

/** Writes `hex` into row `row` of a column `width` bytes wide; false when it is not lower-case hex of exactly that width. */
function writeHex(column: Uint8Array, row: number, width: number, hex: string): boolean {
  if (hex.length !== 2 * width || !HEX.test(hex)) return false;
  column.set(Buffer.from(hex, 'hex'), row * width);
  return true;
}

function readHex(column: Uint8Array, row: number, width: number): string {
  return Buffer.from(column.buffer, column.byteOffset + row * width, width).toString('hex');
}
