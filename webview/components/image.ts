// Draws one test image (bytes 0..255, channels last) into a canvas: grey images as ink in the theme's
// foreground colour on a transparent ground, so digits read naturally in light and dark themes.
import { h } from '../dom';
import { parseColor } from '../theme';

export function imageCanvas(pixels: Uint8Array, index: number, shape: number[], ink: string, cssSize: number): HTMLCanvasElement {
  const [height, width, channels = 1] = shape;
  const canvas = h('canvas', { class: 'sample-image', attrs: { width: String(width), height: String(height), role: 'img', 'aria-label': `test sample ${index}` } });
  canvas.style.width = `${cssSize}px`;
  canvas.style.height = `${Math.round((cssSize * height) / width)}px`;
  const g = canvas.getContext('2d');
  if (!g) return canvas;
  const img = g.createImageData(width, height);
  const off = index * width * height * channels;
  const c = parseColor(ink);
  for (let p = 0; p < width * height; p++) {
    if (channels === 1) {
      img.data[p * 4] = c.r;
      img.data[p * 4 + 1] = c.g;
      img.data[p * 4 + 2] = c.b;
      img.data[p * 4 + 3] = pixels[off + p];
    } else {
      img.data[p * 4] = pixels[off + p * channels];
      img.data[p * 4 + 1] = pixels[off + p * channels + 1];
      img.data[p * 4 + 2] = pixels[off + p * channels + 2];
      img.data[p * 4 + 3] = 255;
    }
  }
  g.putImageData(img, 0, 0);
  return canvas;
}
