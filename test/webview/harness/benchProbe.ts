/**
 * Page-side measurements for bench/webview.bench.ts (loaded with `?bench=1`); kept here so the
 * benchmark's Node side needs no DOM types. All timings are performance.now() in the page.
 */
import { FRAME_EVENT, type FrameTiming } from '../../../webview/app/frameScheduler';
import type { InitialRender, ScrollResult, SliderSample } from './benchTypes';

const nextFrame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));

async function sliderSamples(count: number): Promise<SliderSample[]> {
  const slider = document.getElementById('threshold-percentile-slider') as HTMLInputElement;
  const outliers = document.getElementById('count-outliers') as HTMLElement;
  const gallery = document.getElementById('gallery') as HTMLElement;
  let lastFrame: FrameTiming | undefined;
  window.addEventListener(FRAME_EVENT, (event) => (lastFrame = (event as CustomEvent<FrameTiming>).detail));
  const min = Number(slider.min);
  const max = Number(slider.max);
  const samples: SliderSample[] = [];
  for (let i = 0; i < count; i++) {
    await nextFrame();
    const value = min + (max - min) * (0.3 + 0.5 * ((i * 0.618034) % 1));
    const start = performance.now();
    slider.value = String(value);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    const handlerMs = performance.now() - start;
    lastFrame = undefined;
    const workMs = await new Promise<number>((resolve) =>
      requestAnimationFrame((frameTime) => {
        gallery.getBoundingClientRect(); // Force the style and layout the update caused.
        outliers.getBoundingClientRect();
        resolve(handlerMs + (performance.now() - Math.max(frameTime, start)));
      }),
    );
    samples.push({ workMs, inputToFrameMs: performance.now() - start, outliersShown: outliers.textContent ?? '' });
    if (!lastFrame) throw new Error('the slider move did not schedule a frame');
  }
  return samples;
}

async function scroll(durationMs: number, pixelsPerSecond: number): Promise<ScrollResult> {
  const gallery = document.getElementById('gallery') as HTMLElement;
  const intervals: number[] = [];
  let placeholders = 0;
  let cellsSeen = 0;
  const begin = await nextFrame();
  let previous = begin;
  for (;;) {
    const now = await nextFrame();
    intervals.push(now - previous);
    previous = now;
    const visible = gallery.querySelectorAll('.gallery-cell:not([hidden])');
    cellsSeen += visible.length;
    placeholders += gallery.querySelectorAll('.gallery-cell.is-loading:not([hidden])').length;
    if (now - begin >= durationMs) break;
    gallery.scrollTop = ((now - begin) / 1000) * pixelsPerSecond;
  }
  const sorted = [...intervals].sort((a, b) => a - b);
  return {
    fps: (intervals.length / (previous - begin)) * 1000,
    frames: intervals.length,
    p95FrameMs: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
    longestFrameMs: sorted[sorted.length - 1] ?? 0,
    placeholderShare: cellsSeen > 0 ? placeholders / cellsSeen : 0,
  };
}

function initialRender(): InitialRender {
  const mark = (name: string): number => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
  return {
    bootToGalleryMs: mark('outlier-lens:first-gallery') - mark('outlier-lens:boot'),
    navigationToGalleryMs: mark('outlier-lens:first-gallery'),
    navigationToBootMs: mark('outlier-lens:boot'),
  };
}

Object.assign(window, { __benchProbe: { sliderSamples, scroll, initialRender } });
