import type { Locator } from 'playwright-core';

/** How many distinct colours a canvas shows, and whether any pixel is not transparent. */
export interface CanvasContent {
  readonly width: number;
  readonly height: number;
  readonly distinctColours: number;
  readonly opaquePixels: number;
}

/** Read a canvas's pixels in the page (the maps are drawn from data, so nothing is tainted). */
export function canvasContent(canvas: Locator): Promise<CanvasContent> {
  return canvas.evaluate((element) => {
    const node = element as HTMLCanvasElement;
    const context = node.getContext('2d');
    const data = context ? context.getImageData(0, 0, node.width, node.height).data : new Uint8ClampedArray();
    const colours = new Set<number>();
    let opaquePixels = 0;
    for (let i = 0; i < data.length; i += 4) {
      colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      if (data[i + 3] > 0) opaquePixels++;
    }
    return { width: node.width, height: node.height, distinctColours: colours.size, opaquePixels };
  });
}
