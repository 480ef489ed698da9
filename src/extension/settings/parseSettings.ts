/** Thrown for a setting value Outlier Lens cannot use; the message names the setting and the expected form. */
export class SettingError extends Error {
  constructor(readonly setting: string, message: string) {
    super(`outlierLens.${setting}: ${message}`);
    this.name = 'SettingError';
  }
}

/** `"auto"` → null; `"28x28"` (or 28×28) → [28, 28]; anything else throws a SettingError. */
export function parseImageSize(value: string): readonly [number, number] | null {
  const text = value.trim();
  if (text === '' || text.toLowerCase() === 'auto') {
    return null;
  }
  const match = /^(\d+)\s*[x×]\s*(\d+)$/i.exec(text);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
    throw new SettingError('imageSize', `must be "auto" or HxW such as 28x28, got "${value}"`);
  }
  return [Number(match[1]), Number(match[2])];
}

/** `"auto"` → null; 1 or 3 (number or string) → that; anything else throws a SettingError. */
export function parseChannels(value: string | number): 1 | 3 | null {
  if (value === 'auto' || value === '' || value === undefined || value === null) {
    return null;
  }
  if (String(value) === '1' || String(value) === '3') {
    return Number(value) as 1 | 3;
  }
  throw new SettingError('channels', `must be "auto", 1 or 3, got ${JSON.stringify(value)}`);
}
