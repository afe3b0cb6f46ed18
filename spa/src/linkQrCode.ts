/** Dark on light whatever the theme: phone cameras read that best. */
const QR_OPTIONS = { margin: 2, width: 400, color: { dark: '#161a26', light: '#ffffff' } };

/**
 * A link as a QR code image (a `data:` URL), for a phone's camera to open it. The encoder is
 * loaded on the first call: only someone making a link needs it, not every page that could.
 */
export async function linkQrCode(url: string): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  return QRCode.toDataURL(url, QR_OPTIONS);
}
