// Import @peculiar/x509 through this module: its dependency tsyringe needs the Reflect
// metadata API loaded first.
import "reflect-metadata";

export * from "@peculiar/x509";
