import { parentPort, workerData } from "node:worker_threads";
import { signBatch, type ResponseBatch } from "./responses";

/** A worker thread of prepareResponses: signs one batch and posts the form bodies back. */
parentPort?.postMessage(signBatch(workerData as ResponseBatch));
