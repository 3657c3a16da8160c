// Import @peculiar/x509 through this module: the shim must be evaluated before it loads.
import "./reflect-metadata-shim";

export * from "@peculiar/x509";
