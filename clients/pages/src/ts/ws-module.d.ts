// The client library loads `ws` only under Node; the bundle leaves it out, so its types are not needed here.
declare module 'ws';
