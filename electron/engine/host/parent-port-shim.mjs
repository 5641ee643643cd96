// Gives a plain Node child process the `process.parentPort` that Electron gives a utility
// process, so the engine's utility entry runs unchanged under tests.
process.parentPort = {
  on(event, listener) {
    if (event === 'message') process.on('message', (data) => listener({ data }));
  },
  postMessage(message) {
    process.send?.(message);
  },
};
