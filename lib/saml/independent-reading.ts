import { parser } from "sax";
import { NS } from "./namespaces";
import { samlError } from "./saml-errors";

/**
 * The parser-differential check: the assertion's Issuer and NameID read a second time, from the
 * signed canonical bytes, by a parser that shares nothing with xmldom (sax, a streaming parser;
 * xml2js, which node-saml read them with, is built on it). Readers that disagree on who signed in
 * are how comment- and CDATA-splitting and wrapping attacks work (CVE-2017-11427, CVE-2025-54419):
 * when the two readings differ, one reader was fooled, and the response is refused.
 *
 * `canonical` is the canonical form of the assertion, or of a Response holding it as a direct
 * child. Reading stops once the assertion's Subject has been read (Issuer and Subject come first
 * in an Assertion, SAML core 2.3.3), so the cost does not grow with the attributes.
 */

export interface IndependentReading {
  issuer?: string;
  nameId?: string;
  /** Set when an element the reading depends on appears twice. */
  ambiguous?: string;
}

class Done extends Error {}

export function readIdentityIndependently(canonical: string): IndependentReading {
  const reading: IndependentReading = {};
  const path: string[] = [];
  let assertionDepth = -1;
  let collect: "issuer" | "nameId" | undefined;
  let text = "";
  const p = parser(true, { xmlns: true, trim: false, normalize: false });
  p.onerror = (error) => {
    throw error;
  };
  p.onopentag = (tag) => {
    const name = `{${tag.uri}}${tag.local}`;
    path.push(name);
    const depth = path.length - 1;
    if (assertionDepth < 0) {
      const atRoot = depth === 0 || (depth === 1 && path[0] === `{${NS.samlp}}Response`);
      if (atRoot && name === `{${NS.saml}}Assertion`) assertionDepth = depth;
      return;
    }
    const within = depth - assertionDepth;
    const parent = path[depth - 1];
    let field: "issuer" | "nameId" | undefined;
    if (within === 1 && name === `{${NS.saml}}Issuer`) field = "issuer";
    else if (within === 2 && parent === `{${NS.saml}}Subject` && name === `{${NS.saml}}NameID`) field = "nameId";
    if (!field) return;
    if (reading[field] !== undefined) reading.ambiguous = `${field === "issuer" ? "Issuer" : "NameID"} appears twice`;
    collect = field;
    text = "";
  };
  p.ontext = (chunk) => {
    if (collect) text += chunk;
  };
  p.oncdata = (chunk) => {
    if (collect) text += chunk;
  };
  p.onclosetag = () => {
    const name = path.pop();
    const depth = path.length;
    if (collect && (name === `{${NS.saml}}Issuer` || name === `{${NS.saml}}NameID`)) {
      reading[collect] = text;
      collect = undefined;
    }
    if (assertionDepth >= 0 && depth === assertionDepth + 1 && name === `{${NS.saml}}Subject`) throw new Done();
    if (depth === assertionDepth) throw new Done();
  };
  try {
    p.write(canonical).close();
  } catch (error) {
    if (!(error instanceof Done))
      throw samlError("saml.malformed", `the signed assertion does not read as XML a second time: ${String(error)}`);
  }
  return reading;
}

/** Refuses when the independent reading disagrees with Jetway's on the NameID or the Issuer. */
export function crossCheckIdentity(theirs: IndependentReading, ours: { nameId: string; issuer: string }): void {
  const nameId = theirs.nameId?.trim();
  const issuer = theirs.issuer?.trim();
  if (theirs.ambiguous || nameId !== ours.nameId || issuer !== ours.issuer) {
    throw samlError(
      "saml.malformed",
      `parsers disagree on the assertion: NameID ${JSON.stringify(ours.nameId)} vs ${JSON.stringify(nameId ?? null)}, ` +
        `Issuer ${JSON.stringify(ours.issuer)} vs ${JSON.stringify(issuer ?? null)}${theirs.ambiguous ? ` (${theirs.ambiguous})` : ""}`,
    );
  }
}
