/**
 * Profile pictures without the network: X's avatar URLs point at pbs.twimg.com, which the
 * playground never reaches, so the page shows a picture drawn from the account's id instead.
 */
import { createHash } from 'node:crypto';

export function avatarSvg(id: string): string {
  const hash = createHash('sha256').update(id).digest();
  const hue = ((hash[0] ?? 0) * 360) / 256;
  const other = (hue + 40 + ((hash[1] ?? 0) % 80)) % 360;
  // Only numbers derived from the hash reach the markup.
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue.toFixed(0)} 65% 55%)"/><stop offset="1" stop-color="hsl(${other.toFixed(0)} 65% 40%)"/></linearGradient></defs>
<rect width="64" height="64" fill="url(#g)"/>
<circle cx="32" cy="25" r="11" fill="#fff" fill-opacity=".85"/>
<path d="M12 58c2-12 10-18 20-18s18 6 20 18z" fill="#fff" fill-opacity=".85"/>
</svg>`;
}
