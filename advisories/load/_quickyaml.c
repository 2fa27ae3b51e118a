/* The loader's quick path in C: a YAML document's plain values straight from libyaml's events.

   Does what loader._EventBuilder does (which stays as the fallback where this module is not
   built, and as the reference the tests compare it with), without making a Python object for
   every event and mark: those objects were most of a cold load of a large tree.

   Only the commonest step is done here: a scalar that is quoted, or plain and starting with a
   character no YAML 1.1 resolver claims, is text. Every other scalar goes to the loader's
   `scalar` callback, so the YAML 1.1 rules live in one place; plain ones are remembered per
   document, as keys and values repeat. Anything the careful path must explain (syntax, an
   anchor or alias, a key that is not text or comes twice, nesting deeper than `max_depth`)
   raises the exception the loader passes, and the careful path reads the file again.

   document(text, scalar, needs_care, firsts, max_depth) -> (value, marks)
     scalar(tag, text, implicit, plain): a scalar's value, or raises needs_care
     firsts: the first characters that some implicit resolver claims (None: every scalar)
     marks: {path: (line, column)} for paths of at most two parts, as _EventBuilder keeps */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>
#include <string.h>
#include <yaml.h>

typedef struct {
    yaml_parser_t parser;
    yaml_event_t event; /* the current event, valid while has_event */
    int has_event;
    PyObject *scalar;     /* the loader's scalar callback */
    PyObject *needs_care; /* the exception class that sends the file to the careful path */
    const char *firsts;   /* NULL: every plain scalar goes to the callback */
    int max_depth;
    PyObject *memo;  /* plain scalar text -> its value, for this document */
    PyObject *marks; /* path -> (line, column) */
} Builder;

static PyObject *node(Builder *b, int depth, PyObject *at);

static PyObject *care(Builder *b) {
    PyErr_SetNone(b->needs_care);
    return NULL;
}

static int advance(Builder *b) {
    if (b->has_event) {
        yaml_event_delete(&b->event);
        b->has_event = 0;
    }
    if (!yaml_parser_parse(&b->parser, &b->event)) {
        care(b); /* a syntax error: the careful path says where and why */
        return -1;
    }
    b->has_event = 1;
    return 0;
}

/* Note where the value at `at` was written; only the first mark counts unless `replace`. */
static int mark(Builder *b, PyObject *at, yaml_mark_t where, int replace) {
    if (!replace) {
        int known = PyDict_Contains(b->marks, at);
        if (known != 0) return known < 0 ? -1 : 0;
    }
    PyObject *place =
        Py_BuildValue("(nn)", (Py_ssize_t)where.line + 1, (Py_ssize_t)where.column + 1);
    if (place == NULL) return -1;
    int failed = PyDict_SetItem(b->marks, at, place);
    Py_DECREF(place);
    return failed;
}

/* `at` with one more part, `last` (a key or an index). */
static PyObject *extended(PyObject *at, PyObject *last) {
    Py_ssize_t size = PyTuple_GET_SIZE(at);
    PyObject *longer = PyTuple_New(size + 1);
    if (longer == NULL) return NULL;
    for (Py_ssize_t i = 0; i < size; i++) {
        PyObject *part = PyTuple_GET_ITEM(at, i);
        Py_INCREF(part);
        PyTuple_SET_ITEM(longer, i, part);
    }
    Py_INCREF(last);
    PyTuple_SET_ITEM(longer, size, last);
    return longer;
}

/* A tag as text; one that is not UTF-8 (%-escapes can make one) is the careful path's. */
static PyObject *tag_or_care(Builder *b, const char *tag) {
    PyObject *text = PyUnicode_DecodeUTF8(tag, (Py_ssize_t)strlen(tag), "strict");
    if (text == NULL && PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) {
        PyErr_Clear();
        care(b);
    }
    return text;
}

/* A collection's tag is not used, as in _EventBuilder, but it must be text all the same. */
static int tag_is_text(Builder *b, const yaml_char_t *tag) {
    if (tag == NULL) return 1;
    PyObject *text = tag_or_care(b, (const char *)tag);
    Py_XDECREF(text);
    return text != NULL;
}

static PyObject *callback(Builder *b, PyObject *text) {
    yaml_event_t *event = &b->event;
    const char *tag = (const char *)event->data.scalar.tag;
    yaml_scalar_style_t style = event->data.scalar.style;
    PyObject *tag_text = Py_None;
    Py_INCREF(tag_text);
    if (tag != NULL) {
        Py_DECREF(tag_text);
        tag_text = tag_or_care(b, tag);
        if (tag_text == NULL) return NULL;
    }
    PyObject *implicit = PyBool_FromLong(event->data.scalar.plain_implicit);
    PyObject *plain =
        PyBool_FromLong(style == YAML_PLAIN_SCALAR_STYLE || style == YAML_ANY_SCALAR_STYLE);
    PyObject *value =
        PyObject_CallFunctionObjArgs(b->scalar, tag_text, text, implicit, plain, NULL);
    Py_DECREF(tag_text);
    Py_DECREF(implicit);
    Py_DECREF(plain);
    return value;
}

/* The date a plain YYYY-MM-DD scalar is, or NULL (no error set) for the callback to decide.
   YAML 1.1 reads that shape, and only that one among plain scalars starting with a digit, as a
   date: no number pattern takes a dash after the first character. A day that does not exist
   is left to the callback, which explains it. Dates are most of the scalars the callback would
   otherwise be asked about. */
static PyObject *plain_date(const unsigned char *text, size_t length) {
    static const char shape[] = "dddd-dd-dd";
    if (length != sizeof shape - 1) return NULL;
    int parts[3] = {0, 0, 0}, part = 0;
    for (size_t i = 0; i < length; i++) {
        if (shape[i] == '-') {
            if (text[i] != '-') return NULL;
            part++;
        } else if (text[i] >= '0' && text[i] <= '9') {
            parts[part] = parts[part] * 10 + (text[i] - '0');
        } else {
            return NULL;
        }
    }
    PyObject *day = PyDate_FromDate(parts[0], parts[1], parts[2]);
    if (day == NULL) PyErr_Clear();
    return day;
}

static PyObject *scalar(Builder *b) {
    yaml_event_t *event = &b->event;
    const char *tag = (const char *)event->data.scalar.tag;
    const unsigned char *bytes = event->data.scalar.value;
    size_t length = event->data.scalar.length;
    PyObject *text = PyUnicode_DecodeUTF8((const char *)bytes, (Py_ssize_t)length, "strict");
    if (text == NULL) return NULL;
    if (tag != NULL) { /* rare: an explicit tag, or '!' */
        PyObject *value = callback(b, text);
        Py_DECREF(text);
        return value;
    }
    if (!event->data.scalar.plain_implicit) return text; /* quoted: always text */
    if (b->firsts != NULL && length > 0 && strchr(b->firsts, bytes[0]) == NULL) return text;
    PyObject *day = plain_date(bytes, length);
    if (day != NULL) {
        Py_DECREF(text);
        return day;
    }
    PyObject *known = PyDict_GetItemWithError(b->memo, text); /* borrowed */
    if (known != NULL) {
        Py_INCREF(known);
        Py_DECREF(text);
        return known;
    }
    PyObject *value = PyErr_Occurred() ? NULL : callback(b, text);
    if (value != NULL && PyDict_SetItem(b->memo, text, value) < 0) Py_CLEAR(value);
    Py_DECREF(text);
    return value;
}

static PyObject *mapping(Builder *b, int depth, PyObject *at) {
    int marked = at != NULL && PyTuple_GET_SIZE(at) < 2;
    PyObject *result = PyDict_New();
    if (result == NULL) return NULL;
    for (;;) {
        if (advance(b) < 0) goto fail;
        if (b->event.type == YAML_MAPPING_END_EVENT) return result;
        if (b->event.type != YAML_SCALAR_EVENT || b->event.data.scalar.anchor != NULL) {
            care(b); /* a key that is a list, a mapping, an alias or anchored */
            goto fail;
        }
        yaml_mark_t key_mark = b->event.start_mark;
        PyObject *key = scalar(b);
        if (key == NULL) goto fail;
        int seen = PyUnicode_CheckExact(key) ? PyDict_Contains(result, key) : 1;
        if (seen != 0) { /* not text, or given twice */
            Py_DECREF(key);
            if (seen > 0) care(b);
            goto fail;
        }
        PyObject *inner = NULL;
        if (marked) {
            inner = extended(at, key);
            if (inner == NULL || mark(b, inner, key_mark, 1) < 0) {
                Py_XDECREF(inner);
                Py_DECREF(key);
                goto fail;
            }
        }
        PyObject *value = advance(b) < 0 ? NULL : node(b, depth + 1, inner);
        Py_XDECREF(inner);
        if (value == NULL) {
            Py_DECREF(key);
            goto fail;
        }
        int failed = PyDict_SetItem(result, key, value);
        Py_DECREF(key);
        Py_DECREF(value);
        if (failed) goto fail;
    }
fail:
    Py_DECREF(result);
    return NULL;
}

static PyObject *sequence(Builder *b, int depth, PyObject *at) {
    int marked = at != NULL && PyTuple_GET_SIZE(at) < 2;
    PyObject *items = PyList_New(0);
    if (items == NULL) return NULL;
    for (;;) {
        if (advance(b) < 0) goto fail;
        if (b->event.type == YAML_SEQUENCE_END_EVENT) return items;
        PyObject *inner = NULL;
        if (marked) {
            PyObject *index = PyLong_FromSsize_t(PyList_GET_SIZE(items));
            if (index == NULL) goto fail;
            inner = extended(at, index);
            Py_DECREF(index);
            if (inner == NULL) goto fail;
        }
        PyObject *item = node(b, depth + 1, inner);
        Py_XDECREF(inner);
        if (item == NULL) goto fail;
        int failed = PyList_Append(items, item);
        Py_DECREF(item);
        if (failed) goto fail;
    }
fail:
    Py_DECREF(items);
    return NULL;
}

/* The value that starts with the current event, at `depth`; marked at `at` unless NULL. */
static PyObject *node(Builder *b, int depth, PyObject *at) {
    yaml_event_t *event = &b->event;
    if (depth > b->max_depth) return care(b);
    switch (event->type) {
    case YAML_SCALAR_EVENT:
        if (event->data.scalar.anchor != NULL) return care(b);
        if (at != NULL && mark(b, at, event->start_mark, 0) < 0) return NULL;
        return scalar(b);
    case YAML_MAPPING_START_EVENT:
        if (event->data.mapping_start.anchor != NULL) return care(b);
        if (!tag_is_text(b, event->data.mapping_start.tag)) return NULL;
        if (at != NULL && mark(b, at, event->start_mark, 0) < 0) return NULL;
        return mapping(b, depth, at);
    case YAML_SEQUENCE_START_EVENT:
        if (event->data.sequence_start.anchor != NULL) return care(b);
        if (!tag_is_text(b, event->data.sequence_start.tag)) return NULL;
        if (at != NULL && mark(b, at, event->start_mark, 0) < 0) return NULL;
        return sequence(b, depth, at);
    default: /* an alias */
        return care(b);
    }
}

/* The document's mapping, or NULL with needs_care set (also for a second document). */
static PyObject *root(Builder *b) {
    if (advance(b) < 0 || advance(b) < 0) return NULL; /* stream start, then document start */
    if (b->event.type == YAML_STREAM_END_EVENT) return PyDict_New();
    PyObject *empty = PyTuple_New(0);
    if (empty == NULL) return NULL;
    PyObject *value = advance(b) < 0 ? NULL : node(b, 0, empty);
    Py_DECREF(empty);
    if (value == NULL) return NULL;
    if (advance(b) < 0 || advance(b) < 0) { /* document end, then stream end */
        Py_DECREF(value);
        return NULL;
    }
    if (b->event.type != YAML_STREAM_END_EVENT || !PyDict_CheckExact(value)) {
        Py_DECREF(value);
        return care(b);
    }
    return value;
}

static PyObject *document(PyObject *module, PyObject *args) {
    PyObject *text, *scalar_callback, *needs_care;
    const char *firsts;
    int max_depth;
    if (!PyArg_ParseTuple(args, "UOOzi:document", &text, &scalar_callback, &needs_care, &firsts,
                          &max_depth))
        return NULL;
    Py_ssize_t size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(text, &size);
    if (utf8 == NULL) return NULL;
    Builder b;
    memset(&b, 0, sizeof b);
    if (!yaml_parser_initialize(&b.parser)) return PyErr_NoMemory();
    /* UTF-8 bytes, the encoding left for libyaml to detect, as PyYAML's CParser does: stating
       it would make libyaml read a byte-order mark as a character of line 1 */
    yaml_parser_set_input_string(&b.parser, (const unsigned char *)utf8, (size_t)size);
    b.scalar = scalar_callback;
    b.needs_care = needs_care;
    b.firsts = firsts;
    b.max_depth = max_depth;
    b.memo = PyDict_New();
    b.marks = PyDict_New();
    PyObject *result = NULL;
    if (b.memo != NULL && b.marks != NULL) {
        PyObject *value = root(&b);
        if (value != NULL) {
            result = PyTuple_Pack(2, value, b.marks);
            Py_DECREF(value);
        }
    }
    if (b.has_event) yaml_event_delete(&b.event);
    yaml_parser_delete(&b.parser);
    Py_XDECREF(b.memo);
    Py_XDECREF(b.marks);
    return result;
}

static PyMethodDef methods[] = {
    {"document", document, METH_VARARGS,
     "document(text, scalar, needs_care, firsts, max_depth) -> (value, marks)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "advisories._quickyaml",
    "A YAML document's plain values straight from libyaml's events (loader's quick path).", -1,
    methods,
};

PyMODINIT_FUNC PyInit__quickyaml(void) {
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL) return NULL;
    return PyModule_Create(&module);
}
