"""The pure-Python backend: batches per subtask, sends through its own HTTP client (sqs_http:
keep-alive connections, requests signed as botocore signs, sigv4; only S3 puts of offloaded
bodies use boto3) on an event loop the worker thread runs (call_loop), flushes before
checkpoints.

One concern per module: entries (what is sent), converter (element -> entry or rejection),
dead_letters (the copy of a rejected record), batcher (batches by count, bytes and destination;
no HTTP), sender (one SendMessageBatch and its retries; no batching), sqs_http (the HTTP
client), call_loop (where calls run), bundle_hook (PyFlink's bundle end, the point every checkpoint passes), writer (the
PyFlink function tying them together), transform (what sink_to() adds to the job).
"""
