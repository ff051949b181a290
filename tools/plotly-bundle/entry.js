'use strict';
// Custom plotly.js 4.1.1 bundle: core (scatter, cartesian/date axes, rangeslider,
// legend, hover, shapes, annotations, modebar/toImage, ...) + bar + scattergl.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/scattergl')
]);

module.exports = Plotly;
