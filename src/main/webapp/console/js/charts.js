// Small charts as inline SVG built with DOM calls; colours come from the stylesheet classes.
import { s } from './dom.js';

/** Horizontal bars: [{label, value, cls}]. */
export function bars(data, { width = 320, row = 22 } = {}) {
  const max = Math.max(1, ...data.map((d) => d.value));
  const height = data.length * row + 4;
  const svg = s('svg', { class: 'chart bars', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img' });
  svg.append(s('title', {}, data.map((d) => d.label + ' ' + d.value).join(', ')));
  data.forEach((d, i) => {
    const y = i * row + 2;
    const w = Math.round(((width - 150) * d.value) / max);
    svg.append(
      s('text', { x: 0, y: y + 15, class: 'label' }, d.label),
      s('rect', { x: 100, y: y + 3, width: Math.max(w, d.value ? 2 : 0), height: row - 8, class: 'bar ' + (d.cls || '') }),
      s('text', { x: 106 + w, y: y + 15, class: 'value' }, String(d.value)),
    );
  });
  return svg;
}

/** A line over time: numbers, oldest first; null values are gaps (failed checks). */
export function line(values, { width = 320, height = 60, label = '' } = {}) {
  const svg = s('svg', { class: 'chart line', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img' });
  svg.append(s('title', {}, label));
  const nums = values.filter((v) => v !== null && v !== undefined);
  if (!nums.length) {
    svg.append(s('text', { x: 4, y: height / 2, class: 'label' }, 'no data yet'));
    return svg;
  }
  const max = Math.max(1, ...nums);
  const step = values.length > 1 ? (width - 8) / (values.length - 1) : 0;
  let d = '';
  values.forEach((v, i) => {
    if (v === null || v === undefined) return;
    const x = 4 + i * step;
    const y = height - 4 - ((height - 20) * v) / max;
    d += (d && values[i - 1] !== null && values[i - 1] !== undefined ? 'L' : 'M') + x.toFixed(1) + ' ' + y.toFixed(1) + ' ';
    if (values.length <= 40) svg.append(s('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: 2, class: 'point' }));
  });
  svg.prepend(s('path', { d, class: 'stroke' }));
  svg.append(s('text', { x: width - 4, y: 10, class: 'value end' }, 'max ' + max + (label ? ' ' + label : '')));
  return svg;
}
