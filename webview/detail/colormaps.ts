/** A 256-entry RGBA lookup table: entry k is the colour of the value at fraction k/255 of the range. */
export interface Colormap {
  readonly name: string;
  readonly table: Uint8ClampedArray;
  /** Whether the scale is centred on zero (LLR: negative = more like the training data). */
  readonly diverging: boolean;
}

function fromStops(name: string, stops: readonly string[], diverging: boolean): Colormap {
  const rgb = stops.map((hex) => [1, 3, 5].map((offset) => parseInt(hex.slice(offset, offset + 2), 16)));
  const table = new Uint8ClampedArray(256 * 4);
  for (let k = 0; k < 256; k++) {
    const position = (k / 255) * (rgb.length - 1);
    const low = Math.min(rgb.length - 2, Math.floor(position));
    const t = position - low;
    for (let channel = 0; channel < 3; channel++) {
      table[k * 4 + channel] = rgb[low][channel] + (rgb[low + 1][channel] - rgb[low][channel]) * t;
    }
    table[k * 4 + 3] = 255;
  }
  return { name, table, diverging };
}

/** Perceptually uniform and readable for colour-blind users: the log-likelihood maps. */
export const VIRIDIS: Colormap = fromStops(
  'viridis',
  ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'],
  false,
);

/** Blue (favours the semantic model) – white – red (favours the background model: outlying): the LLR map. */
export const RED_BLUE: Colormap = fromStops(
  'red-blue',
  ['#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582', '#d6604d', '#b2182b'],
  true,
);
