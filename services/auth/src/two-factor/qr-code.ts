import QRCode from 'qrcode';

/**
 * The otpauth URI as a QR code, as SVG markup and as a PNG data URL (for clients that cannot
 * render SVG). Medium error correction: scanned off a screen, damage is not the problem.
 */
export async function qrCodes(uri: string): Promise<{ svg: string; pngDataUrl: string }> {
  const options = { errorCorrectionLevel: 'M' as const, margin: 2 };
  const [svg, pngDataUrl] = await Promise.all([
    QRCode.toString(uri, { ...options, type: 'svg' }),
    QRCode.toDataURL(uri, { ...options, type: 'image/png', scale: 6 }),
  ]);
  return { svg, pngDataUrl };
}
