// Build a custom, minified plotly.js bundle (scatter + scattergl + bar + core).
//
// Mirrors how plotly.js 4.1.1 builds its own dist/partial bundles
// (esbuild-config.js + tasks/util/bundle_wrapper.mjs + tasks/partial_bundle.mjs +
// tasks/compress_attributes.js in the plotly.js repository), using only what the
// npm package ships plus the same build plugins from the npm registry.
//
// Usage: node build.mjs [--unminified] [--out FILE] [--entry FILE]

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { environmentPlugin } from 'esbuild-plugin-environment';
import { glsl } from 'esbuild-plugin-glsl';
import { createHash } from 'node:crypto';

const require = createRequire(import.meta.url);

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const argVal = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
};
const minify = !args.includes('--unminified');
const entry = path.resolve(here, argVal('--entry', 'entry.js'));
const outfile = path.resolve(here, argVal('--out', minify ? 'plotly-custom.min.js' : 'plotly-custom.js'));

const plotlyDir = path.dirname(require.resolve('plotly.js/package.json'));
const plotlyPkg = JSON.parse(fs.readFileSync(path.join(plotlyDir, 'package.json'), 'utf8'));
if (plotlyPkg.version !== '4.1.1') {
    throw new Error('expected plotly.js 4.1.1, found ' + plotlyPkg.version);
}

// --- same meta-attribute stripping as plotly.js's own build (its "strip meta
// attributes" esbuild onLoad plugin, formerly tasks/compress_attributes.js):
// removes description / requiredOpts / otherOpts / role / hrName from attribute
// definitions; they are only documentation and are not needed at run time.
const WHITESPACE_BEFORE = '\\s*';
const OPTIONAL_COMMA = ',?';
const makeRegex = (s) => new RegExp(WHITESPACE_BEFORE + s + OPTIONAL_COMMA, 'g');
const stringRe = (attr) => makeRegex(attr + ": '.*'");
const joinedArrayRe = (attr) => makeRegex(attr + ': \\[[\\s\\S]*?\\]' + '\\.join\\([\\s\\S]*?\\)');
const arrayRe = (attr) => makeRegex(attr + ': \\[[\\s\\S]*?\\]');
const allRegexes = [
    stringRe('description'),
    joinedArrayRe('description'),
    arrayRe('requiredOpts'),
    arrayRe('otherOpts'),
    stringRe('role'),
    stringRe('hrName')
];

function compressAttributes(str) {
    for (const r of allRegexes) str = str.replace(r, '');
    return str;
}

const compressAttributesPlugin = {
    name: 'plotly-compress-attributes',
    setup(b) {
        b.onLoad({ filter: /\.js$/ }, async (a) => {
            const src = await fs.promises.readFile(a.path, 'utf8');
            return { contents: compressAttributes(src), loader: 'js' };
        });
    }
};

// --- CSS imported from JS (only maplibre-gl.css, required by plotly's registry) is
// inlined as a <style> element, like esbuild-plugin-inline-css that plotly uses.
// Difference: the element id is the sha256 of the path *relative to this folder*
// instead of the absolute path, so the output is byte-identical wherever it is built.
const inlineCssPlugin = {
    name: 'inline-css-reproducible',
    setup(b) {
        b.onLoad({ filter: /\.css$/ }, async (a) => {
            const css = await fs.promises.readFile(a.path, 'utf8');
            const rel = path.relative(here, a.path).split(path.sep).join('/');
            const id = createHash('sha256').update(rel).digest('hex');
            return {
                loader: 'js',
                contents: `(function(){
    if (!document.getElementById(${JSON.stringify(id)})) {
        var e = document.createElement('style');
        e.id = ${JSON.stringify(id)};
        e.textContent = ${JSON.stringify(css)};
        document.head.appendChild(e);
    }
})();`
            };
        });
    }
};

// --- same options as plotly.js esbuild-config.js (esbuildConfig) ---
const config = {
    entryPoints: [entry],
    outfile,
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify,
    sourcemap: false,
    plugins: [
        inlineCssPlugin,
        glsl({ minify: true }),
        environmentPlugin({ NODE_DEBUG: false }),
        compressAttributesPlugin
    ],
    alias: {
        // Force users of regl (gl-text) to use the plotly flavor to deduplicate code
        regl: '@plotly/regl',
        stream: 'stream-browserify'
    },
    define: {
        global: 'window',
        'define.amd': 'false'
    },
    target: 'es2016',
    logLevel: 'info'
};

await build(config);

// remove unwanted css file (as upstream does)
const cssOutput = outfile.replace(/\.js$/, '.css');
if (cssOutput !== outfile && fs.existsSync(cssOutput)) fs.unlinkSync(cssOutput);

// --- same UMD wrapper as plotly.js tasks/util/bundle_wrapper.mjs ---
const wrapperHead = [
    '(',
    ' function(root, factory) {',
    '  if (typeof module === "object" && module.exports) {',
    '   module.exports = factory();',
    '  } else {',
    '   root.moduleName = factory();',
    '  }',
    '} (typeof self !== "undefined" ? self : this, () => {',
    ''
].join('\n');
const wrapperTail = ['', 'window.Plotly = Plotly;', 'return Plotly;', '}));'].join('\n');

// --- license banner: taken verbatim from the shipped dist/plotly.min.js, named like
// tasks/partial_bundle.mjs names partial bundles ("plotly.js (<name> - minified) vX") ---
const distHead = fs.readFileSync(path.join(plotlyDir, 'dist', 'plotly.min.js'), 'utf8').slice(0, 400);
const banner = distHead.slice(0, distHead.indexOf('*/') + 2);
if (!banner.startsWith('/**') || !banner.includes('v' + plotlyPkg.version)) {
    throw new Error('could not read license banner from dist/plotly.min.js');
}
const header = banner.replace('plotly.js', 'plotly.js (custom' + (minify ? ' - minified' : '') + ')') + '\n';

const body = fs.readFileSync(outfile, 'utf8');
fs.writeFileSync(outfile, header + wrapperHead + body + wrapperTail);

const size = fs.statSync(outfile).size;
console.log(`${path.relative(here, outfile)}: ${size} bytes (${(size / 1024 / 1024).toFixed(2)} MiB)`);
