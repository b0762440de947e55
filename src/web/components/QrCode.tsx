import { useEffect, useState } from 'react';
import { toDataURL } from 'qrcode';

/** A ticket code drawn as a QR image (generated in the browser, the code never leaves the page). */
export function QrCode({ value, size = 160, label }: { value: string; size?: number; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    toDataURL(value, { margin: 1, width: size * 2, errorCorrectionLevel: 'M', color: { dark: '#14112b', light: '#ffffff' } })
      .then((url) => live && setSrc(url))
      .catch(() => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [value, size]);
  return src ? (
    <img className="qr" src={src} width={size} height={size} alt={label} />
  ) : (
    <div className="qr qr-placeholder" style={{ width: size, height: size }} aria-hidden="true" />
  );
}
