import type { ImageMeasures } from '../../protocol/scanResults';

/**
 * The model-free measures of one decoded image (8-bit HWC, 1 or 3 channels) at the resolution it
 * is scored: mean brightness, entropy of the grey-level histogram (low = little information),
 * variance of the Laplacian (low = blurry or flat) and, for images stored as RGB, whether all
 * channels are equal (a grey file decoded to three channels is not "grey stored as RGB").
 */
export function measureImage(pixels: Uint8Array, height: number, width: number, channels: 1 | 3, storedAsColour = channels === 3): Omit<ImageMeasures, 'sourceWidth' | 'sourceHeight' | 'pixelHash' | 'perceptualHash' | 'thumbnail'> {
  const grey = toGrey(pixels, height * width, channels);
  const histogram = new Uint32Array(256);
  let sum = 0;
  for (let i = 0; i < grey.length; i++) {
    histogram[grey[i]]++;
    sum += grey[i];
  }
  let entropy = 0;
  for (const count of histogram) {
    if (count > 0) {
      const share = count / grey.length;
      entropy -= share * Math.log2(share);
    }
  }
  return {
    brightness: sum / grey.length,
    entropy: entropy + 0, // -0 for a constant image reads as 0
    sharpness: laplacianVariance(grey, height, width),
    greyAsRgb: channels === 3 && storedAsColour ? channelsEqual(pixels) : null,
  };
}

/** The grey level of each pixel: the image itself, or the mean of its three channels. */
export function toGrey(pixels: Uint8Array, pixelCount: number, channels: 1 | 3): Uint8Array {
  if (channels === 1) {
    return pixels;
  }
  const grey = new Uint8Array(pixelCount);
  for (let i = 0, j = 0; i < pixelCount; i++, j += 3) {
    grey[i] = Math.round((pixels[j] + pixels[j + 1] + pixels[j + 2]) / 3);
  }
  return grey;
}

/** Variance of the 4-neighbour Laplacian over the interior pixels (CleanVision's blur measure); 0 for images under 3×3. */
function laplacianVariance(grey: Uint8Array, height: number, width: number): number {
  if (height < 3 || width < 3) {
    return 0;
  }
  let sum = 0;
  let sumOfSquares = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const laplacian = grey[i - width] + grey[i + width] + grey[i - 1] + grey[i + 1] - 4 * grey[i];
      sum += laplacian;
      sumOfSquares += laplacian * laplacian;
    }
  }
  const count = (height - 2) * (width - 2);
  const mean = sum / count;
  return Math.max(0, sumOfSquares / count - mean * mean);
}

function channelsEqual(pixels: Uint8Array): boolean {
  for (let i = 0; i < pixels.length; i += 3) {
    if (pixels[i] !== pixels[i + 1] || pixels[i] !== pixels[i + 2]) {
      return false;
    }
  }
  return true;
}
