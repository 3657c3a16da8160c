/**
 * The part of sax 1.x (which ships no types) that lib/saml/independent-reading.ts uses: a strict,
 * namespace-aware streaming parser.
 */
declare module "sax" {
  export interface QualifiedTag {
    name: string;
    prefix: string;
    local: string;
    uri: string;
    isSelfClosing: boolean;
  }
  export interface SAXParser {
    onopentag: (tag: QualifiedTag) => void;
    onclosetag: (name: string) => void;
    ontext: (text: string) => void;
    oncdata: (text: string) => void;
    onerror: (error: Error) => void;
    write(chunk: string): SAXParser;
    close(): SAXParser;
  }
  export function parser(strict: true, options: { xmlns: true; trim?: boolean; normalize?: boolean }): SAXParser;
}
