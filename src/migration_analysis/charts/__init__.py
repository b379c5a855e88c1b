"""The chart layer: the house style, one module per chart family, the report's figure registry and
export. Every chart takes what an analysis function returns and draws it; importing any module here
imports matplotlib, so the package loads them on first use."""
