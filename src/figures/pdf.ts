import { readFileSync } from 'node:fs';
import { create, type Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { FIGURE_FONTS } from './fonts.ts';
import { printableSvg, svgWidth } from './raster.ts';

// Figures as PDF for LaTeX: the standalone SVG drawn as vector paths by
// svg-to-pdfkit into a PDFKit page of the figure's own size (1 CSS px =
// 0.75 pt), its text set in Arimo (metric-compatible with Arial, the widths
// Plot lays out for), embedded as a subset. The font comes from a package, so
// every machine writes the same PDF; digit images stay images.

const PT_PER_PX = 72 / 96;

export interface PdfOptions {
  title?: string;
  subject?: string;
  /** Written as the creation date, for a byte-stable file: `YYYY-MM-DD`. */
  date?: string;
}

// Parsed once per process and lent to every document (PDFKit takes a fontkit
// font as well as a file): parsing the two font files was two thirds of a
// PDF's time. Each document still embeds its own subset; the bytes are those
// of a font read afresh (tests/figure-pdf.test.ts).
let fonts: { regular: Font; bold: Font } | null = null;
function figureFonts(): { regular: Font; bold: Font } {
  fonts ??= { regular: create(readFileSync(FIGURE_FONTS.regular)), bold: create(readFileSync(FIGURE_FONTS.bold)) };
  return fonts;
}

function svgHeight(svg: string): number | undefined {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0];
  const height = root && /\sheight="([\d.]+)(px)?"/.exec(root);
  if (height) return Number(height[1]);
  const viewBox = root && /\sviewBox="[-\d.]+[\s,]+[-\d.]+[\s,]+[\d.]+[\s,]+([\d.]+)/.exec(root);
  return viewBox ? Number(viewBox[1]) : undefined;
}

/** A standalone SVG as a one-page vector PDF of the figure's size. */
export function svgToPdf(svg: string, options: PdfOptions = {}): Promise<Buffer> {
  const input = printableSvg(svg);
  const width = svgWidth(input) ?? 640;
  const height = svgHeight(input) ?? 400;
  const created = options.date ? new Date(`${options.date}T00:00:00Z`) : new Date(0);
  const doc = new PDFDocument({
    size: [width * PT_PER_PX, height * PT_PER_PX],
    margin: 0,
    compress: true,
    info: {
      Title: options.title ?? 'Figure',
      Subject: options.subject ?? '',
      Creator: 'Chemins',
      Producer: 'Chemins (PDFKit, svg-to-pdfkit)',
      CreationDate: created,
      ModDate: created,
    },
  });
  const { regular, bold } = figureFonts();
  doc.registerFont('Figure', regular as never);
  doc.registerFont('Figure-Bold', bold as never);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const problems: string[] = [];
  SVGtoPDF(doc, input, 0, 0, {
    width: width * PT_PER_PX,
    height: height * PT_PER_PX,
    preserveAspectRatio: 'xMinYMin meet',
    fontCallback: (_family: string, bold: boolean) => (bold ? 'Figure-Bold' : 'Figure'),
    warningCallback: (message: string) => problems.push(message),
  });
  doc.end();
  return done.then((pdf) => {
    if (problems.length) throw new Error(`[FigurePdf] ${options.title ?? 'figure'}: ${problems.slice(0, 3).join('; ')}`);
    return pdf;
  });
}
