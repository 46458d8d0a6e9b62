// The one call Chemins makes of fontkit (which ships no types): parsing a
// font file once, to lend to PDFKit's documents (src/figures/pdf.ts).
declare module 'fontkit' {
  export interface Font {
    postscriptName: string;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
