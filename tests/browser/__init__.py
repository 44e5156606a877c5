"""Real-browser tests: the sample site built by `congkhai build`, served over HTTP, in Chromium."""
