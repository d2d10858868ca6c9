import QRCode from 'qrcode';

/**
 * The otpauth URI as a PNG QR code in a `data:` URI (the page's CSP allows `img-src data:`), drawn
 * here so the secret never leaves the page's own answer. Error correction M, a 4-module quiet zone
 * (what scanners need) and 6 px per module: about 250 px wide, inside a 390 px phone.
 */
export const qrCodeDataUri = (otpauthUri: string): Promise<string> =>
  QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: 'M', margin: 4, scale: 6 });

/** A base32 secret in groups of four, for typing by hand (authenticator apps ignore the spaces). */
export const groupedSecret = (secret: string): string => (secret.match(/.{1,4}/g) ?? []).join(' ');
