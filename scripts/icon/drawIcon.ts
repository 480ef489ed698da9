// Draws the Marketplace icon (media/icon.png, 256×256) from an SVG written here: a grid of gray
// image tiles, one of them the outlier, under a lens. Run with `npx tsx scripts/icon/drawIcon.ts`.
import * as path from 'node:path';
import sharp from 'sharp';

const SIZE = 256;
const TILE = 34;
const GAP = 8;
const ORIGIN = 34;
const OUTLIER = { row: 1, column: 2 };

function tiles(): string {
  const cells: string[] = [];
  for (let row = 0; row < 4; row++) {
    for (let column = 0; column < 4; column++) {
      const x = ORIGIN + column * (TILE + GAP);
      const y = ORIGIN + row * (TILE + GAP);
      const outlier = row === OUTLIER.row && column === OUTLIER.column;
      // Inliers in a few close grays (one distribution); the outlier is warm and far from them.
      const fill = outlier ? '#ff8a3d' : ['#5b6b8c', '#667799', '#52617f'][(row * 4 + column) % 3];
      cells.push(`<rect x="${x}" y="${y}" width="${TILE}" height="${TILE}" rx="5" fill="${fill}"/>`);
    }
  }
  return cells.join('');
}

/** The icon as SVG. */
export function iconSvg(): string {
  const lensX = ORIGIN + OUTLIER.column * (TILE + GAP) + TILE / 2;
  const lensY = ORIGIN + OUTLIER.row * (TILE + GAP) + TILE / 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">
  <defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#1b2333"/><stop offset="1" stop-color="#111723"/></linearGradient></defs>
  <rect width="${SIZE}" height="${SIZE}" rx="44" fill="url(#bg)"/>
  ${tiles()}
  <line x1="${lensX + 33}" y1="${lensY + 33}" x2="${lensX + 78}" y2="${lensY + 78}" stroke="#e8edf5" stroke-width="16" stroke-linecap="round"/>
  <circle cx="${lensX}" cy="${lensY}" r="44" fill="#ffffff" fill-opacity="0.08" stroke="#e8edf5" stroke-width="11"/>
</svg>`;
}

async function main(): Promise<void> {
  const output = path.resolve(__dirname, '../../media/icon.png');
  await sharp(Buffer.from(iconSvg())).png({ compressionLevel: 9 }).toFile(output);
  process.stdout.write(`${output}\n`);
}

if (require.main === module) void main();
