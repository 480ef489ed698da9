import type { SampleImages } from '../../src/protocol/webview';
import { element } from '../dom/element';

/** Show at most this many samples per model; more would not be looked at. */
const MAX_SAMPLES = 64;

/** A grid of images sampled from one model, from URIs or from raw bytes. */
export function renderSampleGrid(id: string, title: string, samples: SampleImages | undefined): HTMLElement {
  const grid = element('div', { className: 'sample-grid' });
  if (!samples) {
    grid.append(element('p', { className: 'hint', text: 'No samples stored for this model.' }));
  } else if (samples.kind === 'uris') {
    for (const uri of samples.uris.slice(0, MAX_SAMPLES)) {
      grid.append(element('img', { className: 'sample', attributes: { src: uri, alt: '' } }));
    }
  } else {
    const count = Math.min(samples.count, MAX_SAMPLES);
    for (let k = 0; k < count; k++) {
      grid.append(sampleCanvas(samples.pixels, k, samples.width, samples.height, samples.channels));
    }
  }
  return element('figure', { id, className: 'samples' }, [element('figcaption', { text: title }), grid]);
}

function sampleCanvas(pixels: Uint8Array, sample: number, width: number, height: number, channels: 1 | 3): HTMLCanvasElement {
  const canvas = element('canvas', { className: 'sample', attributes: { role: 'img', 'aria-label': `sample ${sample + 1}` } });
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return canvas;
  const image = context.createImageData(width, height);
  const base = sample * width * height * channels;
  for (let i = 0; i < width * height; i++) {
    const source = base + i * channels;
    image.data[i * 4] = pixels[source];
    image.data[i * 4 + 1] = pixels[source + (channels === 3 ? 1 : 0)];
    image.data[i * 4 + 2] = pixels[source + (channels === 3 ? 2 : 0)];
    image.data[i * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  return canvas;
}
