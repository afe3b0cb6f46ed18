import QRCode from 'qrcode';

/** Dark on light whatever the theme: phone cameras read that best. */
const QR_OPTIONS = { margin: 2, width: 400, color: { dark: '#161a26', light: '#ffffff' } };

/** A link as a QR code image (a `data:` URL), for a phone's camera to open it. */
export function linkQrCode(url: string): Promise<string> {
  return QRCode.toDataURL(url, QR_OPTIONS);
}
