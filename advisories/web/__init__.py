"""The web service (`advisory serve`): the library's answers over HTTP, for travel teams'
browsers and their booking tools. Nothing here answers a question itself: it reads the
request, asks the library, and writes what the library answers."""
