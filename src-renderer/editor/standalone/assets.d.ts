// Vite asset imports used by the standalone page (`import url from './x.jpg?url'`).
declare module '*?url' {
  const url: string;
  export default url;
}
