/* gistpath._kernel: the batch path's inner loops in C (optional; see gistpath.batch).
 *
 * Design: five functions turn rows of one column into cells (`numbers`; `lookup` for
 * choices and booleans; `text` for numpy fixed-width text; `codes` for categoricals;
 * `utf8` for Arrow text buffers); `objects` does what `numbers` and `lookup` do for many
 * columns of Python objects at once, sharing their rows among helper threads while the
 * caller holds the GIL; and `fold` turns the cells of every input into a rule
 * index (or a class, for considerations) per row, through the class tables
 * gistpath.batch.classes builds from the checked predicate tables. Nothing here knows a
 * rule: every table comes from Python, built from the compiled model, and each function
 * checks that the tables it is given fit together before it reads through them.
 *
 * The column functions decide only what is certain and plain: exact ints, exact floats,
 * exact str, True/False, and numpy buffers of those kinds. Every other value, and every
 * value that is not allowed, gets the cell -1, and the caller hands those rows to the
 * field's Python validator, which accepts them or says why not. So this file can only
 * ever be faster than the validators, never more lenient: a test holds each function to
 * `dim.cell_of(validate(value))` over odd values.
 *
 * Columns are read through the buffer protocol (numpy arrays, including object arrays,
 * whose items are borrowed references the array keeps alive) or as a list or tuple.
 * Loops that touch no Python object run without the GIL; loops over objects run with it,
 * or on helper threads that only read, for a thread that holds it (see `objects`).
 *
 * The contract with Python (gistpath/batch/kernel.py, the only module that calls this one):
 * each function takes, after its column and rows, one spec: a tuple (a NamedTuple of
 * gistpath/batch/specs.py on the Python side) whose fields are read in the order given at
 * the function; the outcomes below are exported under the same names, and KERNEL_ABI_VERSION
 * names this contract. Change any of it and bump the version: the binding refuses a build
 * whose version differs from its own (a stale editable build, say) and uses numpy instead.
 *
 * Limits: CPython only (the package falls back to numpy without it); cells are int32.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* The loops that go through numpy buffers are compiled twice on x86-64 with GCC, for AVX2
 * and for the baseline, and the loader picks one per machine (GCC's target_clones): the
 * wheel runs everywhere and uses the wider instructions where they are. Measured on the
 * GIST batch: number columns 5.5 -> 3.4 ns per row. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
    defined(__GLIBC__) /* target_clones needs the loader's ifunc: glibc, not musl */
#define WIDE __attribute__((target_clones("avx2", "default")))
#else
#define WIDE
#endif

/* Software prefetch, a kilobyte or two ahead of the loops that stream through a column
 * (32 rows of fixed-width text, 64 of Arrow text or typed numbers; the objects of a list 8
 * items ahead): on this project's benchmark machine (a KVM guest) the hardware prefetcher
 * did not keep up with fifteen interleaved columns, and a fixed-width text column cost
 * 8-11 ns per row in a batch instead of 5-7. Measured: numpy columns of GIST, 47 -> 31 ns
 * per state; pandas 34 -> 32. */
#if defined(__GNUC__)
#define AHEAD(address) __builtin_prefetch(address)
#else
#define AHEAD(address) ((void)0)
#endif

#define EXACT_INT 9007199254740992LL /* 2**53: larger ints go to the validator */

/* The version of the contract with gistpath/batch/kernel.py (its ABI_VERSION). */
#define KERNEL_ABI_VERSION 2

/* Outcomes on the boundary, exported under these names and checked by the binding. */
#define NO_CELL (-1)  /* a row left to the field's validator: not plain, or not allowed */
#define NOT_READ (-2) /* a column function's result for a source it does not read */
#define JOB_NUMBERS 0 /* the kinds of objects() jobs */
#define JOB_LOOKUP 1

/* ------------------------------------------------------------------ numbers */

typedef struct {
    const double *thresholds;
    Py_ssize_t count;
    const unsigned char *valid; /* one byte per cell: 1 when it holds allowed values */
    Py_ssize_t cells;
    double low, high; /* the bounds as inclusive ones (-inf / +inf when there is none) */
    int integer;      /* an integer input: floats are left to the validator */
    PyObject *unknown; /* "unknown" (borrowed), or NULL where the input does not allow it */
    int32_t unknown_cell;
} NumberSpec;

/* A number spec: (thresholds, valid, low, high, integer, unknown, unknown_cell), the fields
 * of batch/specs.py's NumberSpec. thresholds: float64 bytes, ascending; valid: one byte per
 * cell; low, high: the bounds, inclusive (an exclusive bound is sent as the next double
 * inside it; -inf / +inf when there is no bound to check); integer: a bool; unknown: the
 * str "unknown" or None; unknown_cell: its cell. The buffers are taken into the two views,
 * which the caller releases (both, also on failure: they start zeroed). */
#define NUMBER_SPEC_FORMAT "y*y*ddpOi"

static int
number_spec_parse(NumberSpec *s, PyObject *spec, Py_buffer *ts_view, Py_buffer *valid_view)
{
    if (!PyTuple_Check(spec)) {
        PyErr_SetString(PyExc_TypeError, "a number spec is a tuple");
        return -1;
    }
    PyObject *unknown;
    int unknown_cell;
    if (!PyArg_ParseTuple(spec, NUMBER_SPEC_FORMAT, ts_view, valid_view, &s->low, &s->high,
                          &s->integer, &unknown, &unknown_cell))
        return -1;
    s->thresholds = (const double *)ts_view->buf;
    s->count = ts_view->len / (Py_ssize_t)sizeof(double);
    s->valid = (const unsigned char *)valid_view->buf;
    s->cells = valid_view->len;
    s->unknown = unknown == Py_None ? NULL : unknown;
    s->unknown_cell = (int32_t)unknown_cell;
    if (s->unknown != NULL && !PyUnicode_CheckExact(s->unknown)) {
        PyErr_SetString(PyExc_TypeError, "unknown must be a str or None");
        return -1;
    }
    return 0;
}

static inline int32_t
number_cell(const NumberSpec *s, double v)
{
    /* The cell is 2 * (thresholds below v) + (v is a threshold), that is, the thresholds
     * below v plus those at or below it: counted without branches when there are few
     * (the usual case; a mispredicted branch costs more than a compare). */
    Py_ssize_t cell = 0;
    if (s->count <= 16) {
        for (Py_ssize_t j = 0; j < s->count; j++)
            cell += (s->thresholds[j] < v) + (s->thresholds[j] <= v);
    }
    else {
        Py_ssize_t lo = 0, hi = s->count;
        while (lo < hi) {
            Py_ssize_t mid = (lo + hi) >> 1;
            if (s->thresholds[mid] < v)
                lo = mid + 1;
            else
                hi = mid;
        }
        cell = 2 * lo + (lo < s->count && s->thresholds[lo] == v);
    }
    /* finite (NaN and infinities fail) and inside the bounds */
    int ok = (v - v == 0.0) & (v >= s->low) & (v <= s->high);
    if (!ok || cell >= s->cells || !s->valid[cell])
        return NO_CELL;
    return (int32_t)cell;
}

/* The value of an exact int of one machine digit, read without a call (the common case:
 * counts and sizes); 0 when the int is bigger, for PyLong_AsLongLongAndOverflow. */
static inline int
small_long(PyObject *item, long long *v)
{
#if PY_VERSION_HEX >= 0x030C0000
    if (!PyUnstable_Long_IsCompact((PyLongObject *)item))
        return 0;
    *v = (long long)PyUnstable_Long_CompactValue((PyLongObject *)item);
    return 1;
#else
    Py_ssize_t size = Py_SIZE(item);
    if (size < -1 || size > 1)
        return 0;
    *v = size == 0 ? 0 : (long long)size * (long long)((PyLongObject *)item)->ob_digit[0];
    return 1;
#endif
}

/* Pure (a loop running on a helper thread while the caller holds the GIL for it): only
 * reads of the objects, no call into Python's C API, which could touch the thread's error
 * state or the objects. A value that would need one is left at DEFER, and the calling
 * thread decides it afterwards. */
#define DEFER (-3)

/* Is `item` the same text as `text` (an exact str)? 1 or 0 (or DEFER: see there). */
static inline int
same_str(PyObject *item, PyObject *text, int pure)
{
    if (item == text)
        return 1;
    if (PyUnicode_IS_COMPACT_ASCII(item) && PyUnicode_IS_COMPACT_ASCII(text)) {
        Py_ssize_t length = PyUnicode_GET_LENGTH(item);
        return length == PyUnicode_GET_LENGTH(text) &&
               memcmp(((PyASCIIObject *)item) + 1, ((PyASCIIObject *)text) + 1,
                      (size_t)length) == 0;
    }
    if (pure)
        return DEFER;
    int eq = PyUnicode_Compare(item, text);
    if (eq == -1 && PyErr_Occurred())
        PyErr_Clear();
    return eq == 0;
}

/* An item of a list or object array other than an exact float: an exact int, or the text
 * "unknown". */
static inline int32_t
number_item(const NumberSpec *s, PyObject *item, int integer, PyObject *unknown,
            int32_t unknown_cell, int pure)
{
    if (item == NULL) /* an object array may hold NULL, which numpy reads as None */
        return NO_CELL;
    if (PyLong_CheckExact(item)) {
        long long v;
        if (!small_long(item, &v)) {
            if (pure)
                return DEFER;
            int overflow = 0;
            v = PyLong_AsLongLongAndOverflow(item, &overflow);
            if (overflow || (v == -1 && PyErr_Occurred())) {
                PyErr_Clear();
                return NO_CELL;
            }
        }
        /* compared as integers: (double)(2**53 + 1) would already be rounded */
        if (v > EXACT_INT || v < -EXACT_INT)
            return NO_CELL;
        return number_cell(s, (double)v);
    }
    if (unknown != NULL && PyUnicode_CheckExact(item)) {
        int same = same_str(item, unknown, pure);
        return same == DEFER ? DEFER : same ? unknown_cell : NO_CELL;
    }
    return NO_CELL;
}

#define MEMO_SLOTS 256

static inline uint32_t
memo_slot(PyObject *op)
{
    return (uint32_t)((((uintptr_t)op >> 4) * 0x9E3779B97F4A7C15ULL) >> 56); /* 256 slots */
}

/* The cells of n items (of a list, a tuple or an object array); returns how many were left
 * below 0. Each object is prefetched a few items ahead. Pure: see DEFER.
 *
 * Floats are placed directly. Other objects go through a small memo keyed by identity,
 * made anew for each call: ints below 257 are shared objects in CPython, so a column of
 * counts is mostly the same few objects, found without reading them or branching on their
 * value. Identity is a safe key here because the GIL is held for the whole call (by this
 * thread, or by the one it helps) and nothing called runs Python code, so no item can be
 * freed and its address reused. */
static Py_ssize_t
number_items(const NumberSpec *s, PyObject **items, Py_ssize_t n, int32_t *cells, int integer,
             PyObject *unknown, int32_t unknown_cell, int pure)
{
    PyObject *memo_key[MEMO_SLOTS];
    int32_t memo_cell[MEMO_SLOTS];
    memset(memo_key, 0, sizeof(memo_key)); /* NULL, the empty key, maps to -1: so does */
    memset(memo_cell, -1, sizeof(memo_cell)); /* a NULL item */
    Py_ssize_t missing = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i + 128 < n)
            AHEAD(items + i + 128); /* the list's own array, a kilobyte ahead */
        if (i + 8 < n)
            AHEAD(items[i + 8]); /* the object itself, wherever it lives */
        PyObject *item = items[i];
        int32_t c;
        if (item != NULL && PyFloat_CheckExact(item)) {
            c = integer ? NO_CELL : number_cell(s, PyFloat_AS_DOUBLE(item));
        }
        else {
            uint32_t at = memo_slot(item);
            if (memo_key[at] == item) {
                c = memo_cell[at];
            }
            else {
                c = number_item(s, item, integer, unknown, unknown_cell, pure);
                memo_key[at] = item;
                memo_cell[at] = c;
            }
        }
        cells[i] = c;
        missing += c < 0;
    }
    return missing;
}

/* `out`: a writable buffer of *n int32 cells, for rows start .. start + *n of a source of
 * `total` rows. */
static int
get_out(PyObject *obj, Py_buffer *view, Py_ssize_t total, Py_ssize_t start, Py_ssize_t *n)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return -1;
    if (view->itemsize != 4 || view->len % 4) {
        PyBuffer_Release(view);
        PyErr_SetString(PyExc_ValueError, "out must hold int32 values");
        return -1;
    }
    *n = view->len / 4;
    if (start < 0 || start > total || *n > total - start) {
        PyBuffer_Release(view);
        PyErr_SetString(PyExc_ValueError, "the rows asked for are outside the source");
        return -1;
    }
    return 0;
}

/* A C-contiguous buffer of `source` holding items of one of the struct format letters in
 * `letters`, in native byte order: that letter, or 0 (no error set, nothing held) when
 * the source is no such buffer, which the caller reports as NOT_READ. */
static char
get_source(PyObject *source, Py_buffer *in, const char *letters)
{
    if (PyObject_GetBuffer(source, in, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        PyErr_Clear();
        return 0;
    }
    const char *f = in->format ? in->format : "B";
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    const char native = '>';
#else
    const char native = '<';
#endif
    if (*f == '=' || *f == '@' || *f == native)
        f++;
    if (f[0] == '\0' || f[1] != '\0' || strchr(letters, f[0]) == NULL) {
        PyBuffer_Release(in);
        return 0;
    }
    return f[0];
}

/* Is `obj` a sequence we read item by item (list, tuple)? */
static PyObject *
as_fast(PyObject *obj)
{
    if (PyList_CheckExact(obj) || PyTuple_CheckExact(obj)) {
        Py_INCREF(obj);
        return obj;
    }
    return NULL;
}

/* numbers(source, start, out, spec) -> rows left at NO_CELL, or NOT_READ for a source of a
 * type not handled here. Reads rows start .. start + len(out) of the source (a list, a
 * tuple, or a buffer of numbers or objects); spec: a number spec (see number_spec_parse).
 */
WIDE static PyObject *
k_numbers(PyObject *self, PyObject *args)
{
    PyObject *source, *out_obj, *spec;
    Py_buffer ts_view = {0}, valid_view = {0}, out;
    Py_ssize_t start, n;
    if (!PyArg_ParseTuple(args, "OnOO", &source, &start, &out_obj, &spec))
        return NULL;
    NumberSpec s;
    Py_ssize_t missing = 0;
    PyObject *result = NULL;
    if (number_spec_parse(&s, spec, &ts_view, &valid_view) < 0)
        goto done;
    int integer = s.integer;
    PyObject *unk = s.unknown;
    int unknown_cell = s.unknown_cell;

    PyObject *seq = as_fast(source);
    if (seq != NULL) {
        Py_ssize_t total = PySequence_Fast_GET_SIZE(seq);
        PyObject **items = PySequence_Fast_ITEMS(seq) + start;
        if (get_out(out_obj, &out, total, start, &n) == 0) {
            missing = number_items(&s, items, n, (int32_t *)out.buf, integer, unk,
                                   (int32_t)unknown_cell, 0);
            PyBuffer_Release(&out);
            result = PyLong_FromSsize_t(missing);
        }
        Py_DECREF(seq);
        goto done;
    }

    Py_buffer in;
    char code = get_source(source, &in, "dfbhilqBHILQO");
    if (code == 0) {
        result = PyLong_FromLong(NOT_READ);
        goto done;
    }
    if (get_out(out_obj, &out, in.len / in.itemsize, start, &n) < 0) {
        PyBuffer_Release(&in);
        goto done;
    }
    int32_t *cells = (int32_t *)out.buf;
    if (code == 'O') {
        missing = number_items(&s, (PyObject **)in.buf + start, n, cells, integer, unk,
                               (int32_t)unknown_cell, 0);
    }
    else {
        Py_BEGIN_ALLOW_THREADS
#define LOOP(T, CHECK)                                              \
    do {                                                            \
        const T *v = (const T *)in.buf + start;                     \
        for (Py_ssize_t i = 0; i < n; i++) {                        \
            AHEAD(v + i + 64);                                      \
            int32_t c = (CHECK) ? number_cell(&s, (double)v[i]) : NO_CELL; \
            cells[i] = c;                                           \
            missing += c < 0;                                       \
        }                                                           \
    } while (0)
        switch (in.itemsize * 256 + code) {
        case 8 * 256 + 'd': LOOP(double, !integer); break;
        case 4 * 256 + 'f': LOOP(float, !integer); break;
        case 1 * 256 + 'b': LOOP(int8_t, 1); break;
        case 2 * 256 + 'h': LOOP(int16_t, 1); break;
        case 4 * 256 + 'i': LOOP(int32_t, 1); break;
        case 4 * 256 + 'l': LOOP(int32_t, 1); break;
        case 8 * 256 + 'l': LOOP(int64_t, v[i] <= EXACT_INT && v[i] >= -EXACT_INT); break;
        case 8 * 256 + 'q': LOOP(int64_t, v[i] <= EXACT_INT && v[i] >= -EXACT_INT); break;
        case 1 * 256 + 'B': LOOP(uint8_t, 1); break;
        case 2 * 256 + 'H': LOOP(uint16_t, 1); break;
        case 4 * 256 + 'I': LOOP(uint32_t, 1); break;
        case 4 * 256 + 'L': LOOP(uint32_t, 1); break;
        case 8 * 256 + 'L': LOOP(uint64_t, v[i] <= (uint64_t)EXACT_INT); break;
        case 8 * 256 + 'Q': LOOP(uint64_t, v[i] <= (uint64_t)EXACT_INT); break;
        default: missing = NOT_READ; break;
        }
#undef LOOP
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&out);
    PyBuffer_Release(&in);
    result = PyLong_FromSsize_t(missing);
done:
    PyBuffer_Release(&ts_view);
    PyBuffer_Release(&valid_view);
    return result;
}

/* ------------------------------------------------------------------ look-ups */

/* A str of up to 24 ASCII characters, read as three words and its length (which together
 * name it): the first 8 bytes, then the last 8 of the first 16, then the last 8 of the
 * first 24, each 0 when the text is not that long, and bytes before the text masked off.
 * A word may start up to 8 bytes before the text: inside the str object's own header,
 * which is at least 40 bytes long, so every byte read belongs to the object. */
#define ASCII_WORDS_MAX 24

static inline const unsigned char *
ascii_data(PyObject *op)
{
    return (const unsigned char *)(((PyASCIIObject *)op) + 1);
}

static inline uint64_t
load_word(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

static inline void
ascii_words(const unsigned char *data, Py_ssize_t length, uint64_t w[3])
{
    Py_ssize_t n0 = length < 8 ? length : 8;
    Py_ssize_t n1 = length < 16 ? length : 16;
    Py_ssize_t n2 = length < 24 ? length : 24;
    /* the first n0 bytes are the top ones of the word ending at data + n0 (little-endian
     * order; on a big-endian machine the words differ, but keys and items agree) */
    unsigned shift = (unsigned)(4 * (8 - n0)); /* twice: a shift by 64 is undefined */
    uint64_t first = load_word(data + n0 - 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w[0] = (first << shift) << shift;
#else
    w[0] = (first >> shift) >> shift;
#endif
    uint64_t second = load_word(data + n1 - 8), third = load_word(data + n2 - 8);
    w[1] = length > 8 ? second : 0;
    w[2] = length > 16 ? third : 0;
}

#define WORD_SLOTS 1024 /* per table; at most STR_KEYS keys, so a salt is soon found */
#define ID_SLOTS 256
#define STR_KEYS 64

static inline uint32_t
word_slot(const uint64_t w[3], Py_ssize_t length, uint64_t salt)
{
    uint64_t h = (w[0] * 0x9E3779B97F4A7C15ULL) ^ (w[1] * 0xC2B2AE3D27D4EB4FULL) ^
                 (w[2] * 0x165667B19E3779F9ULL) ^ (uint64_t)length ^ salt;
    h *= 0xD6E8FEB86659FD93ULL;
    return (uint32_t)(h >> 54); /* 1024 slots */
}

/* The allowed texts of a look-up, built per call from the caller's dict (borrowed keys:
 * the dict keeps them alive during the call). ASCII texts of up to 24 characters, the usual
 * kind, are found through their words: a salted hash of them names the one key they could
 * be (no two keys share a slot under the salt chosen), and the words confirm it, with no
 * hashing of the str and no call. Other texts go through str hashes and comparison. */
typedef struct {
    int keys;
    PyObject *key[STR_KEYS];
    Py_hash_t hash[STR_KEYS];
    int32_t cell[STR_KEYS];
    /* the words of each key that has them (word_cell -1 for those that have not) */
    uint64_t words[STR_KEYS][3];
    Py_ssize_t length[STR_KEYS];
    int32_t word_cell[STR_KEYS];
    uint64_t salt;
    int use_words; /* 0: no salt kept the keys apart; every text goes through the hashes */
    int8_t slot[WORD_SLOTS]; /* key index, or -1 */
    /* the keys, True and False by identity (an interned text, as literals in Python code
     * are, is found at once; the others go on to the words): NULL and -1 when empty */
    PyObject *id_key[ID_SLOTS];
    int32_t id_cell[ID_SLOTS];
} StrTable;

static inline uint32_t
id_slot(PyObject *op)
{
    return (uint32_t)((((uintptr_t)op >> 4) * 0x9E3779B97F4A7C15ULL) >> 56); /* 256 slots */
}

static inline void
id_put(StrTable *t, PyObject *op, int32_t cell)
{
    uint32_t at = id_slot(op);
    if (t->id_key[at] == NULL) { /* on a clash the second one is found the longer way */
        t->id_key[at] = op;
        t->id_cell[at] = cell;
    }
}

static inline int
is_ascii_str(PyObject *op)
{
    return PyUnicode_CheckExact(op) && PyUnicode_IS_COMPACT_ASCII(op);
}

/* 0 when built; -1 (no error set) when the dict is too big or odd: use the dict itself. */
static int
str_table_build(StrTable *t, PyObject *dict, int32_t cell_false, int32_t cell_true)
{
    if (PyDict_GET_SIZE(dict) > STR_KEYS)
        return -1;
    t->keys = 0;
    memset(t->id_key, 0, sizeof(t->id_key));
    memset(t->id_cell, -1, sizeof(t->id_cell));
    id_put(t, Py_True, cell_true);
    id_put(t, Py_False, cell_false);
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        if (!PyUnicode_CheckExact(key) || !PyLong_CheckExact(value))
            return -1;
        Py_hash_t h = PyObject_Hash(key);
        long cell = PyLong_AsLong(value);
        if (h == -1 || (cell == -1 && PyErr_Occurred()) || cell < -1 || cell > INT32_MAX) {
            PyErr_Clear();
            return -1;
        }
        int k = t->keys++;
        t->key[k] = key;
        t->hash[k] = h;
        t->cell[k] = (int32_t)cell;
        t->word_cell[k] = -1;
        t->length[k] = -1;
        t->words[k][0] = t->words[k][1] = t->words[k][2] = 0;
        id_put(t, key, (int32_t)cell);
        if (is_ascii_str(key) && PyUnicode_GET_LENGTH(key) <= ASCII_WORDS_MAX) {
            t->length[k] = PyUnicode_GET_LENGTH(key);
            ascii_words(ascii_data(key), t->length[k], t->words[k]);
            t->word_cell[k] = (int32_t)cell;
        }
    }
    /* Keys whose words mix to the same value before the salt share a slot under every
     * salt (names can be made so on purpose): after a few tries the words are given up */
    uint64_t salt = 0;
    for (int tries = 0; tries < 64; tries++, salt += 0x9E3779B97F4A7C15ULL) {
        memset(t->slot, -1, sizeof(t->slot));
        int clash = 0;
        for (int k = 0; k < t->keys && !clash; k++) {
            if (t->length[k] < 0)
                continue;
            uint32_t at = word_slot(t->words[k], t->length[k], salt);
            clash = t->slot[at] >= 0;
            t->slot[at] = (int8_t)k;
        }
        if (!clash) {
            t->salt = salt;
            t->use_words = 1;
            return 0;
        }
    }
    t->use_words = 0;
    return 0;
}

/* The cell of an exact str through the hashes (texts the words do not cover). */
static int32_t
str_table_find_hashed(const StrTable *t, PyObject *item)
{
    Py_hash_t h = PyObject_Hash(item); /* cached in the str after the first time */
    if (h == -1) {
        PyErr_Clear();
        return NO_CELL;
    }
    for (int k = 0; k < t->keys; k++) {
        if (t->hash[k] != h)
            continue;
        if (t->key[k] == item)
            return t->cell[k];
        int eq = PyUnicode_Compare(t->key[k], item);
        if (eq == 0)
            return t->cell[k];
        if (eq == -1 && PyErr_Occurred())
            PyErr_Clear();
    }
    return NO_CELL;
}

/* The cell of an exact str. An ASCII text of up to 24 characters can only equal an ASCII
 * key (CPython keeps every all-ASCII str in the compact ASCII form), so its words decide. */
static inline int32_t
str_table_find(const StrTable *t, PyObject *item, int pure)
{
    if (t->use_words && PyUnicode_IS_COMPACT_ASCII(item)) {
        Py_ssize_t length = PyUnicode_GET_LENGTH(item);
        if (length <= ASCII_WORDS_MAX) {
            uint64_t w[3];
            ascii_words(ascii_data(item), length, w);
            int k = t->slot[word_slot(w, length, t->salt)];
            if (k < 0)
                return NO_CELL;
            int same = (t->length[k] == length) & (t->words[k][0] == w[0]) &
                       (t->words[k][1] == w[1]) & (t->words[k][2] == w[2]);
            return same ? t->word_cell[k] : NO_CELL;
        }
    }
    return pure ? DEFER : str_table_find_hashed(t, item);
}

static inline int32_t
lookup_item(PyObject *item, const StrTable *fast, PyObject *table, int32_t cell_false,
            int32_t cell_true, int pure)
{
    /* True, False and interned keys by identity first, with no branch on which it is (a
     * coin-toss column of booleans would mispredict half the time) */
    if (fast != NULL) {
        uint32_t at = id_slot(item);
        if (fast->id_key[at] == item)
            return fast->id_cell[at];
    }
    if (item == Py_True)
        return cell_true;
    if (item == Py_False)
        return cell_false;
    if (item == NULL || !PyUnicode_CheckExact(item)) /* NULL: numpy's None */
        return NO_CELL;
    if (fast != NULL)
        return str_table_find(fast, item, pure);
    if (pure)
        return DEFER;
    PyObject *cell = PyDict_GetItemWithError(table, item); /* borrowed */
    if (cell == NULL) {
        PyErr_Clear();
        return NO_CELL;
    }
    long value = PyLong_AsLong(cell);
    if (value == -1 && PyErr_Occurred()) { /* not an int: a table this file did not make */
        PyErr_Clear();
        return NO_CELL;
    }
    return (int32_t)value;
}

/* The cells of n items (of a list, a tuple or an object array); returns how many were left
 * below 0. Each object is prefetched a few items ahead. Pure: see DEFER. */
static Py_ssize_t
lookup_items(PyObject **items, Py_ssize_t n, int32_t *cells, const StrTable *fast,
             PyObject *table, int32_t cell_false, int32_t cell_true, int pure)
{
    Py_ssize_t missing = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i + 128 < n)
            AHEAD(items + i + 128); /* the list's own array, a kilobyte ahead */
        if (i + 16 < n) { /* a str's text may start in the object's second cache line */
            AHEAD(items[i + 16]);
            AHEAD((const char *)items[i + 16] + 64);
        }
        int32_t c = lookup_item(items[i], fast, table, cell_false, cell_true, pure);
        cells[i] = c;
        missing += c < 0;
    }
    return missing;
}

/* A look-up spec: (table, cell_false, cell_true), the fields of batch/specs.py's
 * LookupSpec. table: dict of exact str -> cell; cell_false / cell_true: the cells of False
 * and True (NO_CELL where not allowed). */
#define LOOKUP_SPEC_FORMAT "O!ii"

static int
lookup_spec_parse(PyObject *spec, PyObject **table, int *cell_false, int *cell_true)
{
    if (!PyTuple_Check(spec)) {
        PyErr_SetString(PyExc_TypeError, "a look-up spec is a tuple");
        return -1;
    }
    return PyArg_ParseTuple(spec, LOOKUP_SPEC_FORMAT, &PyDict_Type, table, cell_false,
                            cell_true) ? 0 : -1;
}

/* lookup(source, start, out, spec) -> rows left at NO_CELL, or NOT_READ.
 * spec: a look-up spec (see lookup_spec_parse).
 * Sources: list, tuple, object array, bool array. */
static PyObject *
k_lookup(PyObject *self, PyObject *args)
{
    PyObject *source, *out_obj, *spec, *table;
    int cell_false, cell_true;
    Py_buffer out;
    Py_ssize_t start, n;
    if (!PyArg_ParseTuple(args, "OnOO", &source, &start, &out_obj, &spec))
        return NULL;
    if (lookup_spec_parse(spec, &table, &cell_false, &cell_true) < 0)
        return NULL;
    Py_ssize_t missing = 0;
    StrTable strings;
    const StrTable *fast = str_table_build(&strings, table, cell_false, cell_true) == 0 ? &strings : NULL;
    PyObject *seq = as_fast(source);
    if (seq != NULL) {
        Py_ssize_t total = PySequence_Fast_GET_SIZE(seq);
        PyObject **items = PySequence_Fast_ITEMS(seq) + start;
        if (get_out(out_obj, &out, total, start, &n) < 0) {
            Py_DECREF(seq);
            return NULL;
        }
        missing =
            lookup_items(items, n, (int32_t *)out.buf, fast, table, cell_false, cell_true, 0);
        PyBuffer_Release(&out);
        Py_DECREF(seq);
        return PyLong_FromSsize_t(missing);
    }
    Py_buffer in;
    char code = get_source(source, &in, "O?");
    if (code == 0)
        return PyLong_FromLong(NOT_READ);
    if (get_out(out_obj, &out, in.len / in.itemsize, start, &n) < 0) {
        PyBuffer_Release(&in);
        return NULL;
    }
    int32_t *cells = (int32_t *)out.buf;
    if (code == 'O') {
        missing = lookup_items((PyObject **)in.buf + start, n, cells, fast, table, cell_false,
                               cell_true, 0);
    }
    else {
        const unsigned char *v = (const unsigned char *)in.buf + start;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < n; i++) {
            int32_t c = v[i] ? cell_true : cell_false;
            cells[i] = c;
            missing += c < 0;
        }
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&out);
    PyBuffer_Release(&in);
    return PyLong_FromSsize_t(missing);
}

/* ------------------------------------------------------------------ object columns, shared */

/* objects(jobs, threads) -> list of rows left at NO_CELL, one per job.
 * jobs: a list of (JOB_NUMBERS, source, start, out, number spec) and
 *       (JOB_LOOKUP, source, start, out, look-up spec), each source a list, a tuple or an
 *       object array;
 * threads: how many threads share each job's rows (1: this one only).
 *
 * Python objects can only be read under the GIL, so a list is read by one thread at a
 * time, however many cores there are. Here this thread keeps the GIL for the whole call,
 * and helper threads (POSIX threads, unknown to Python) read their share of the rows while
 * it waits: no other Python thread can run, so no item can change or be freed meanwhile.
 * The helpers only read (the pure loops: see DEFER) and this thread decides what they
 * deferred afterwards, with the C API. Where Python runs without a GIL, or without POSIX
 * threads, the call uses this thread only. */
#if !defined(Py_GIL_DISABLED) && (defined(__unix__) || defined(__APPLE__))
#include <pthread.h>
#define HELPERS 1
#else
#define HELPERS 0
#endif
#define MAX_THREADS 64

typedef struct {
    int lookup;
    PyObject *source, *out_obj; /* borrowed from the job's tuple */
    Py_ssize_t start;
    PyObject *seq; /* a list or tuple (a new reference), or NULL for an object array */
    Py_buffer in, out, ts_view, valid_view;
    int has_in, has_out, has_number;
    PyObject **items; /* the job's first row */
    int32_t *cells;
    Py_ssize_t n;
    NumberSpec number;
    int integer;
    PyObject *unknown;
    int32_t unknown_cell;
    StrTable *strings; /* NULL: look texts up in `table` */
    PyObject *table;
    int32_t cell_false, cell_true;
} Job;

typedef struct {
    Job *jobs;
    Py_ssize_t count;
    int part, parts;
} Share;

static void
run_share(const Share *share, int pure)
{
    for (Py_ssize_t j = 0; j < share->count; j++) {
        const Job *job = &share->jobs[j];
        Py_ssize_t lo = job->n * share->part / share->parts;
        Py_ssize_t hi = job->n * (share->part + 1) / share->parts;
        if (job->lookup)
            lookup_items(job->items + lo, hi - lo, job->cells + lo, job->strings, job->table,
                         job->cell_false, job->cell_true, pure);
        else
            number_items(&job->number, job->items + lo, hi - lo, job->cells + lo, job->integer,
                         job->unknown, job->unknown_cell, pure);
    }
}

#if HELPERS
static void *
helper(void *arg)
{
    run_share((const Share *)arg, 1);
    return NULL;
}
#endif

static void
release_job(Job *job)
{
    Py_XDECREF(job->seq);
    if (job->has_in)
        PyBuffer_Release(&job->in);
    if (job->has_out)
        PyBuffer_Release(&job->out);
    if (job->has_number) {
        PyBuffer_Release(&job->ts_view);
        PyBuffer_Release(&job->valid_view);
    }
    PyMem_Free(job->strings);
}

/* A job is taken in three steps, so that no Python code can run once an item has been
 * read: converting the arguments may call a __float__ or __index__, and taking a buffer
 * a __buffer__, any of which could change a list or free its items. So (1) every job's
 * arguments are converted, then (2) every source and out is taken, then (3) with no more
 * Python code to run, the items are read and the tables built. Each returns -1 with an
 * error set when the job is not one. */
static int
parse_job(Job *job, PyObject *spec)
{
    if (!PyTuple_CheckExact(spec) || PyTuple_GET_SIZE(spec) != 5) {
        PyErr_SetString(PyExc_TypeError, "a job is a tuple (kind, source, start, out, spec)");
        return -1;
    }
    PyObject *kind = PyTuple_GET_ITEM(spec, 0), *start = PyTuple_GET_ITEM(spec, 2);
    if (!PyLong_CheckExact(kind) || !PyLong_CheckExact(start)) {
        PyErr_SetString(PyExc_TypeError, "a job's kind and start are ints");
        return -1;
    }
    long which = PyLong_AsLong(kind);
    if (which != JOB_NUMBERS && which != JOB_LOOKUP) {
        PyErr_SetString(PyExc_ValueError, "a job's kind is JOB_NUMBERS or JOB_LOOKUP");
        return -1;
    }
    job->lookup = which == JOB_LOOKUP;
    job->start = PyLong_AsSsize_t(start);
    if (job->start == -1 && PyErr_Occurred())
        return -1;
    job->source = PyTuple_GET_ITEM(spec, 1); /* borrowed: the jobs tuple holds them */
    job->out_obj = PyTuple_GET_ITEM(spec, 3);
    PyObject *job_spec = PyTuple_GET_ITEM(spec, 4);
    if (job->lookup) {
        int cell_false, cell_true;
        if (lookup_spec_parse(job_spec, &job->table, &cell_false, &cell_true) < 0)
            return -1;
        job->cell_false = cell_false;
        job->cell_true = cell_true;
        return 0;
    }
    job->has_number = 1; /* the views start zeroed: released whatever happens below */
    if (number_spec_parse(&job->number, job_spec, &job->ts_view, &job->valid_view) < 0)
        return -1;
    job->integer = job->number.integer;
    job->unknown = job->number.unknown;
    job->unknown_cell = job->number.unknown_cell;
    return 0;
}

static int
take_job(Job *job)
{
    job->seq = as_fast(job->source);
    if (job->seq == NULL) {
        if (get_source(job->source, &job->in, "O") == 0) {
            PyErr_SetString(PyExc_TypeError,
                            "a job's source is a list, a tuple or an object array");
            return -1;
        }
        job->has_in = 1;
    }
    if (PyObject_GetBuffer(job->out_obj, &job->out,
                           PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return -1;
    job->has_out = 1;
    return 0;
}

static int
ready_job(Job *job)
{
    Py_ssize_t total;
    if (job->seq != NULL) {
        total = PySequence_Fast_GET_SIZE(job->seq);
        job->items = PySequence_Fast_ITEMS(job->seq);
    }
    else {
        total = job->in.len / job->in.itemsize;
        job->items = (PyObject **)job->in.buf;
    }
    if (job->out.itemsize != 4 || job->out.len % 4) {
        PyErr_SetString(PyExc_ValueError, "out must hold int32 values");
        return -1;
    }
    job->n = job->out.len / 4;
    if (job->start < 0 || job->start > total || job->n > total - job->start) {
        PyErr_SetString(PyExc_ValueError, "the rows asked for are outside the source");
        return -1;
    }
    job->items += job->start;
    job->cells = (int32_t *)job->out.buf;
    if (job->lookup) {
        /* exact str keys and int values only: the calling thread's look-ups in the dict
         * (texts the words do not cover) must not run a key's __eq__ */
        Py_ssize_t pos = 0;
        PyObject *key, *value;
        while (PyDict_Next(job->table, &pos, &key, &value))
            if (!PyUnicode_CheckExact(key) || !PyLong_CheckExact(value)) {
                PyErr_SetString(PyExc_TypeError, "a look-up table maps str to int");
                return -1;
            }
        job->strings = PyMem_Malloc(sizeof(StrTable));
        if (job->strings == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        if (str_table_build(job->strings, job->table, job->cell_false, job->cell_true) < 0) {
            PyMem_Free(job->strings); /* too many keys: the helpers defer every text */
            job->strings = NULL;
        }
    }
    return 0;
}

static PyObject *
k_objects(PyObject *self, PyObject *args)
{
    PyObject *list;
    int threads;
    if (!PyArg_ParseTuple(args, "O!i", &PyList_Type, &list, &threads))
        return NULL;
    if (threads < 1 || threads > MAX_THREADS) {
        PyErr_SetString(PyExc_ValueError, "threads must be 1 to 64");
        return NULL;
    }
    PyObject *specs = PySequence_Tuple(list); /* the jobs, held whatever the list becomes */
    if (specs == NULL)
        return NULL;
    Py_ssize_t count = PyTuple_GET_SIZE(specs);
    Job *jobs = PyMem_Calloc(count ? (size_t)count : 1, sizeof(Job));
    Py_ssize_t *left = PyMem_Calloc(count ? (size_t)count : 1, sizeof(Py_ssize_t));
    PyObject *result = NULL;
    if (jobs == NULL || left == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t j = 0; j < count; j++)
        if (parse_job(&jobs[j], PyTuple_GET_ITEM(specs, j)) < 0)
            goto done;
    for (Py_ssize_t j = 0; j < count; j++)
        if (take_job(&jobs[j]) < 0)
            goto done;
    /* from here until the counts are made into a list, no Python code runs */
    for (Py_ssize_t j = 0; j < count; j++)
        if (ready_job(&jobs[j]) < 0)
            goto done;
#if HELPERS
    int parts = threads;
#else
    int parts = 1;
#endif
    Share shares[MAX_THREADS];
    for (int t = 0; t < parts; t++) {
        shares[t].jobs = jobs;
        shares[t].count = count;
        shares[t].part = t;
        shares[t].parts = parts;
    }
#if HELPERS
    pthread_t ids[MAX_THREADS];
    int started[MAX_THREADS] = {0};
    for (int t = 1; t < parts; t++)
        started[t] = pthread_create(&ids[t], NULL, helper, &shares[t]) == 0;
    run_share(&shares[0], 0);
    for (int t = 1; t < parts; t++) {
        if (started[t])
            pthread_join(ids[t], NULL);
        else
            run_share(&shares[t], 0); /* no thread to be had: this one does it */
    }
#else
    run_share(&shares[0], 0);
#endif
    /* what the helpers deferred, then each job's count of rows left */
    for (Py_ssize_t j = 0; j < count; j++) {
        Job *job = &jobs[j];
        Py_ssize_t missing = 0;
        for (Py_ssize_t i = 0; i < job->n; i++) {
            int32_t c = job->cells[i];
            if (c == DEFER) {
                PyObject *item = job->items[i];
                if (job->lookup)
                    c = lookup_item(item, job->strings, job->table, job->cell_false,
                                    job->cell_true, 0);
                else /* never a float: the helpers decide those themselves */
                    c = number_item(&job->number, item, job->integer, job->unknown,
                                    job->unknown_cell, 0);
                job->cells[i] = c;
            }
            missing += c < 0;
        }
        left[j] = missing;
    }
    result = PyList_New(count);
    for (Py_ssize_t j = 0; result != NULL && j < count; j++) {
        PyObject *value = PyLong_FromSsize_t(left[j]);
        if (value == NULL)
            Py_CLEAR(result);
        else
            PyList_SET_ITEM(result, j, value);
    }
done:
    for (Py_ssize_t j = 0; jobs != NULL && j < count; j++)
        release_job(&jobs[j]);
    PyMem_Free(jobs);
    PyMem_Free(left);
    Py_DECREF(specs);
    return result;
}

/* Do two padded texts of `width` code points match? Eight bytes at a time, no early exit. */
static inline int
same_text(const uint32_t *a, const uint32_t *b, Py_ssize_t width)
{
    const char *x = (const char *)a, *y = (const char *)b;
    Py_ssize_t pairs = width >> 1;
    uint64_t diff = 0;
    for (Py_ssize_t w = 0; w < pairs; w++) {
        uint64_t u, v;
        memcpy(&u, x + 8 * w, 8);
        memcpy(&v, y + 8 * w, 8);
        diff |= u ^ v;
    }
    if (width & 1)
        diff |= a[width - 1] ^ b[width - 1];
    return diff == 0;
}

/* The slot of a fixed-width text whose code points at p and q are `first` and `second`, in
 * a table of mask + 1 slots (batch/hashes.py's text_slot). */
static inline uint32_t
text_slot(uint32_t first, uint32_t second, uint32_t mask)
{
    return (31u * first + second) & mask;
}

/* text(codes, start, out, spec) -> rows left at NO_CELL.
 * codes: the column's code points as n * width uint32 (a numpy <U array viewed as uint32);
 * spec: (width, allowed, cells_of, p, q, slots), the fields of batch/specs.py's TextSpec:
 * allowed: the allowed texts padded with NULs, k * width uint32; cells_of: k int32;
 * slots: int32 per slot (a power of two in size), the candidate among `allowed` (or -1)
 * at a row's text_slot of its code points at p and q. The caller chooses p and q so that
 * no two allowed texts share a slot; the whole text is then compared. */
WIDE static PyObject *
k_text(PyObject *self, PyObject *args)
{
    PyObject *out_obj, *spec;
    Py_buffer codes = {0}, allowed = {0}, cells_of = {0}, lut = {0}, out;
    Py_ssize_t width, start, n, p, q;
    PyObject *result = NULL;
    if (!PyArg_ParseTuple(args, "y*nOO!", &codes, &start, &out_obj, &PyTuple_Type, &spec))
        return NULL;
    if (!PyArg_ParseTuple(spec, "ny*y*nny*", &width, &allowed, &cells_of, &p, &q, &lut))
        goto done;
    Py_ssize_t lut_size = lut.len / 4;
    if (width <= 0 || width > PY_SSIZE_T_MAX / 4 || p < 0 || p >= width || q < 0 || q >= width ||
        lut_size <= 0 ||
        (lut_size & (lut_size - 1)) || cells_of.len / 4 != allowed.len / (4 * width)) {
        PyErr_SetString(PyExc_ValueError, "bad text tables");
        goto done;
    }
    Py_ssize_t k = allowed.len / (4 * width);
    uint32_t mask = (uint32_t)(lut_size - 1);
    if (get_out(out_obj, &out, codes.len / (4 * width), start, &n) < 0)
        goto done;
    const uint32_t *rows = (const uint32_t *)codes.buf + start * width;
    const uint32_t *table = (const uint32_t *)allowed.buf;
    const int32_t *cell_of = (const int32_t *)cells_of.buf;
    const int32_t *candidates = (const int32_t *)lut.buf;
    int32_t *cells = (int32_t *)out.buf;
    Py_ssize_t missing = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++) {
        const uint32_t *row = rows + i * width;
        AHEAD(row + 32 * width);
        int32_t c = NO_CELL;
        int32_t j = candidates[text_slot(row[p], row[q], mask)];
        if (j >= 0 && j < k && same_text(row, table + j * width, width))
            c = cell_of[j];
        cells[i] = c;
        missing += c < 0;
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&out);
    result = PyLong_FromSsize_t(missing);
done:
    PyBuffer_Release(&codes);
    PyBuffer_Release(&allowed);
    PyBuffer_Release(&cells_of);
    PyBuffer_Release(&lut);
    return result;
}

/* ------------------------------------------------------------------ codes */

/* codes(codes, start, out, table) -> rows left at NO_CELL, or NOT_READ.
 * codes: a categorical's integer codes (a numpy array of signed ints); table: int32 bytes,
 * the cell of each category (-1 for one that is not allowed). */
WIDE static PyObject *
k_codes(PyObject *self, PyObject *args)
{
    PyObject *source, *out_obj;
    Py_buffer table, in, out;
    Py_ssize_t start, n;
    if (!PyArg_ParseTuple(args, "OnOy*", &source, &start, &out_obj, &table))
        return NULL;
    PyObject *result = NULL;
    if (get_source(source, &in, "bhilq") == 0) {
        result = PyLong_FromLong(NOT_READ);
        goto done;
    }
    if (get_out(out_obj, &out, in.len / in.itemsize, start, &n) < 0) {
        PyBuffer_Release(&in);
        goto done;
    }
    const int32_t *cell_of = (const int32_t *)table.buf;
    uint64_t k = (uint64_t)(table.len / 4);
    int32_t *cells = (int32_t *)out.buf;
    Py_ssize_t missing = 0;
    Py_BEGIN_ALLOW_THREADS
#define CODES(T)                                                        \
    do {                                                                \
        const T *v = (const T *)in.buf + start;                         \
        for (Py_ssize_t i = 0; i < n; i++) {                            \
            AHEAD(v + i + 64);                                          \
            int64_t code = (int64_t)v[i]; /* read once: checked, then used */ \
            int32_t c = (uint64_t)code < k ? cell_of[code] : NO_CELL;          \
            cells[i] = c;                                               \
            missing += c < 0;                                           \
        }                                                               \
    } while (0)
    switch (in.itemsize) {
    case 1: CODES(int8_t); break;
    case 2: CODES(int16_t); break;
    case 4: CODES(int32_t); break;
    case 8: CODES(int64_t); break;
    default: missing = NOT_READ; break;
    }
#undef CODES
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&out);
    PyBuffer_Release(&in);
    result = PyLong_FromSsize_t(missing);
done:
    PyBuffer_Release(&table);
    return result;
}

/* ------------------------------------------------------------------ Arrow text */

/* Texts of up to 16 bytes are compared as two little-endian words (see k_utf8); longer
 * ones with memcmp. (Three words for up to 24 bytes measured slower on the short ones.) */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WORDS_OK 1
#else
#define WORDS_OK 0
#endif

#define UTF8_SLOTS 4096

/* The slot of a text of up to 16 bytes given as its two words (batch/hashes.py's
 * utf8_slot computes the same in Python, to fill the slots). */
static inline uint32_t
utf8_slot(uint64_t a, uint64_t b, int64_t length, uint64_t salt)
{
    uint64_t h = (a ^ (b * 0x9E3779B97F4A7C15ULL) ^ (uint64_t)length ^ salt) *
                 0xC2B2AE3D27D4EB4FULL;
    return (uint32_t)(h >> 52); /* 4096 slots */
}

/* The two words of a text of up to 16 bytes at `row` (batch/hashes.py's utf8_words): its
 * first 8 bytes and its last 8, bytes past its end masked off, the second 0 when it is
 * shorter than 8. Reads 8 bytes at `row` whatever the length: the caller makes sure they
 * are there. */
static inline void
utf8_words(const unsigned char *row, int64_t length, uint64_t *a, uint64_t *b)
{
    memcpy(a, row, 8);
    memcpy(b, row + (length < 8 ? 0 : length - 8), 8);
    *a &= length < 8 ? ((uint64_t)1 << (8 * (length & 7))) - 1 : ~(uint64_t)0;
    *b &= length < 8 ? 0 : ~(uint64_t)0;
}

/* utf8(offsets, data, start, out, spec) -> rows left at NO_CELL.
 * A column of texts as Arrow holds it: row i is data[offsets[i] .. offsets[i + 1]] (UTF-8;
 * offsets int32 or int64, one more than the rows). spec: (allowed, bounds, by_length,
 * cells_of, heads, slots, salt), the fields of batch/specs.py's Utf8Spec. The k allowed
 * texts, sorted by length,
 * are allowed[bounds[j] .. bounds[j + 1]] (bounds: k + 1 int64); those of length L are
 * j = by_length[L] .. by_length[L + 1] - 1 (by_length: int32, the longest length + 2);
 * cells_of: their cells (k int32); heads: per allowed text, two little-endian uint64
 * words: its first 8 bytes and its last 8 (bytes past its end as zeros; the second word 0
 * when it is shorter than 8); slots: 4096 int32, the text (index in
 * sorted order) whose words hash there with `salt`, or -1; the caller picks a salt under
 * which no two allowed texts share a slot. */
/* Are utf8's tables consistent (every index they hold inside the others)? They come from
 * batch/specs.py's utf8_spec; a wrong one must raise, not read out of bounds. */
static int
utf8_tables_ok(const Py_buffer *allowed, const Py_buffer *bounds, const Py_buffer *by_length,
               const Py_buffer *cells_of, const Py_buffer *heads, const Py_buffer *slots)
{
    Py_ssize_t k = cells_of->len / 4;
    if (cells_of->len % 4 || bounds->len != 8 * (k + 1) || heads->len < 16 * k ||
        by_length->len < 8 || by_length->len % 4 || (slots->len != 0 && slots->len != 4 * UTF8_SLOTS))
        return 0;
    const int64_t *edge = (const int64_t *)bounds->buf;
    if (edge[0] != 0 || edge[k] != allowed->len)
        return 0;
    for (Py_ssize_t j = 0; j < k; j++)
        if (edge[j] > edge[j + 1])
            return 0;
    const int32_t *first = (const int32_t *)by_length->buf;
    Py_ssize_t lengths = by_length->len / 4;
    for (Py_ssize_t L = 0; L < lengths; L++) {
        if (first[L] < 0 || first[L] > k || (L > 0 && first[L] < first[L - 1]))
            return 0;
        /* the texts listed for length L must have that length */
        if (L + 1 < lengths)
            for (int32_t j = first[L]; j < first[L + 1]; j++)
                if (edge[j + 1] - edge[j] != L)
                    return 0;
    }
    const int32_t *slot = (const int32_t *)slots->buf;
    for (Py_ssize_t i = 0; i < slots->len / 4; i++)
        if (slot[i] < -1 || slot[i] >= k)
            return 0;
    return 1;
}

WIDE static PyObject *
k_utf8(PyObject *self, PyObject *args)
{
    PyObject *offsets_obj, *out_obj, *spec;
    Py_buffer offsets, data = {0}, allowed = {0}, bounds = {0}, by_length = {0}, cells_of = {0},
              heads = {0}, slots = {0}, out;
    Py_ssize_t start, n;
    unsigned long long salt;
    PyObject *result = NULL;
    if (!PyArg_ParseTuple(args, "Oy*nOO!", &offsets_obj, &data, &start, &out_obj, &PyTuple_Type,
                          &spec))
        return NULL;
    if (!PyArg_ParseTuple(spec, "y*y*y*y*y*y*K", &allowed, &bounds, &by_length, &cells_of,
                          &heads, &slots, &salt))
        goto done;
    if (PyObject_GetBuffer(offsets_obj, &offsets, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        goto done;
    int wide = offsets.itemsize == 8;
    if ((offsets.itemsize != 4 && !wide) || offsets.len < offsets.itemsize) {
        PyErr_SetString(PyExc_ValueError, "offsets must be int32 or int64, one more than rows");
        goto release_offsets;
    }
    if (!utf8_tables_ok(&allowed, &bounds, &by_length, &cells_of, &heads, &slots)) {
        PyErr_SetString(PyExc_ValueError, "bad text tables");
        goto release_offsets;
    }
    Py_ssize_t total = offsets.len / offsets.itemsize - 1;
    if (get_out(out_obj, &out, total, start, &n) < 0)
        goto release_offsets;
    const unsigned char *text = (const unsigned char *)data.buf;
    uint64_t text_len = (uint64_t)data.len;
    const char *want = (const char *)allowed.buf;
    const int64_t *edge = (const int64_t *)bounds.buf;
    const int32_t *first = (const int32_t *)by_length.buf;
    const int32_t *cell_of = (const int32_t *)cells_of.buf;
    int64_t longest = (int64_t)(by_length.len / 4) - 2;
    const uint64_t *words = (const uint64_t *)heads.buf;
    const int32_t *slot_of = (const int32_t *)slots.buf;
    int slot_ok = slots.len == 4 * UTF8_SLOTS;
    int32_t *cells = (int32_t *)out.buf;
    Py_ssize_t missing = 0;
    Py_BEGIN_ALLOW_THREADS
#define UTF8_LOOP(T)                                                                   \
    do {                                                                               \
        const T *at = (const T *)offsets.buf + start;                                  \
        for (Py_ssize_t i = 0; i < n; i++) {                                           \
            if (i + 64 < n && (uint64_t)at[i + 64] < text_len)                         \
                AHEAD(text + at[i + 64]); /* the offsets are read in order anyway */   \
            int64_t lo = (int64_t)at[i], hi = (int64_t)at[i + 1], length = hi - lo;    \
            int32_t c = NO_CELL;                                                            \
            if (lo >= 0 && length >= 0 && length <= longest && (uint64_t)hi <= text_len) { \
                const unsigned char *row = text + lo;                                  \
                if (WORDS_OK && slot_ok && length <= 16 && (uint64_t)lo + 8 <= text_len) { \
                    /* up to 16 bytes as two words, the first 8 and the last 8 (bytes   \
                     * past the end masked off), no branch: a hash of the words names   \
                     * the one allowed text it could be, and the words confirm it */    \
                    uint64_t a, b;                                                     \
                    utf8_words(row, length, &a, &b);                                   \
                    int32_t j = slot_of[utf8_slot(a, b, length, salt)];                \
                    /* the same words at another length ("aaaaaaaaa", "aaaaaaaaaa") */  \
                    if (j >= first[length] && j < first[length + 1] &&                 \
                        words[2 * j] == a && words[2 * j + 1] == b)                    \
                        c = cell_of[j];                                                \
                }                                                                      \
                else {                                                                 \
                    for (int32_t j = first[length]; j < first[length + 1]; j++) {      \
                        const unsigned char *w = (const unsigned char *)want + edge[j]; \
                        if (!memcmp(row, w, (size_t)length)) {                         \
                            c = cell_of[j];                                            \
                            break;                                                     \
                        }                                                              \
                    }                                                                  \
                }                                                                      \
            }                                                                          \
            cells[i] = c;                                                              \
            missing += c < 0;                                                          \
        }                                                                              \
    } while (0)
    if (wide)
        UTF8_LOOP(int64_t);
    else
        UTF8_LOOP(int32_t);
#undef UTF8_LOOP
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&out);
    result = PyLong_FromSsize_t(missing);
release_offsets:
    PyBuffer_Release(&offsets);
done:
    PyBuffer_Release(&data);
    PyBuffer_Release(&allowed);
    PyBuffer_Release(&bounds);
    PyBuffer_Release(&by_length);
    PyBuffer_Release(&cells_of);
    PyBuffer_Release(&heads);
    PyBuffer_Release(&slots);
    return result;
}

/* ------------------------------------------------------------------ the fold */

/* fold(cells, tables, out)
 * cells: list of int32 buffers, one per input, all valid cells (or uint8: a boolean
 *        column whose False and True are cells 0 and 1, read as it is);
 * tables: (groups, classes, folds, outcome), the fields of batch/classes.py's FoldTables:
 *        groups: list of lists of (input index, stride, cells of that input);
 *        classes: list of int32 buffers; folds: list of (int32 buffer, width);
 *        outcome: int32 buffer;
 * out: int64 buffer (the outcome per row). */
#define MAX_INPUTS 4096
#define FOLD_BLOCK 256
WIDE static PyObject *
k_fold(PyObject *self, PyObject *args)
{
    PyObject *cells_list, *tables, *groups, *classes, *folds, *outcome_obj, *out_obj;
    if (!PyArg_ParseTuple(args, "O!O!O", &PyList_Type, &cells_list, &PyTuple_Type, &tables,
                          &out_obj))
        return NULL;
    if (!PyArg_ParseTuple(tables, "O!O!O!O", &PyList_Type, &groups, &PyList_Type, &classes,
                          &PyList_Type, &folds, &outcome_obj))
        return NULL;
    Py_ssize_t ninputs = PyList_GET_SIZE(cells_list);
    Py_ssize_t ngroups = PyList_GET_SIZE(groups);
    Py_ssize_t nfolds = PyList_GET_SIZE(folds);
    if (ninputs > MAX_INPUTS || ngroups != PyList_GET_SIZE(classes) || ngroups < 1 ||
        nfolds != ngroups - 1) {
        PyErr_SetString(PyExc_ValueError, "inconsistent fold tables");
        return NULL;
    }
    PyObject *result = NULL;
    Py_ssize_t nviews = ninputs + ngroups + nfolds + 2;
    Py_buffer *views = PyMem_Calloc((size_t)nviews, sizeof(Py_buffer));
    int *taken = PyMem_Calloc((size_t)nviews, sizeof(int));
    /* per group: member inputs and strides, flattened */
    Py_ssize_t *member = NULL, *stride = NULL, *limit = NULL, *start = NULL, *width = NULL;
    Py_ssize_t nmembers = 0;
    if (views == NULL || taken == NULL)
        goto nomem;
    for (Py_ssize_t g = 0; g < ngroups; g++) {
        PyObject *group = PyList_GET_ITEM(groups, g);
        if (!PyList_Check(group)) {
            PyErr_SetString(PyExc_TypeError, "a group is a list");
            goto fail;
        }
        nmembers += PyList_GET_SIZE(group);
    }
    member = PyMem_Calloc((size_t)nmembers + 1, sizeof(Py_ssize_t));
    stride = PyMem_Calloc((size_t)nmembers + 1, sizeof(Py_ssize_t));
    limit = PyMem_Calloc((size_t)nmembers + 1, sizeof(Py_ssize_t));
    start = PyMem_Calloc((size_t)ngroups + 1, sizeof(Py_ssize_t));
    width = PyMem_Calloc((size_t)nfolds + 1, sizeof(Py_ssize_t));
    if (!member || !stride || !limit || !start || !width)
        goto nomem;
    Py_ssize_t m = 0;
    for (Py_ssize_t g = 0; g < ngroups; g++) {
        PyObject *group = PyList_GET_ITEM(groups, g);
        start[g] = m;
        for (Py_ssize_t j = 0; j < PyList_GET_SIZE(group); j++, m++) {
            if (!PyArg_ParseTuple(PyList_GET_ITEM(group, j), "nnn", &member[m], &stride[m],
                                  &limit[m]))
                goto fail;
            if (member[m] < 0 || member[m] >= ninputs || stride[m] < 0 || limit[m] < 0 ||
                stride[m] > INT32_MAX || limit[m] > INT32_MAX) {
                PyErr_SetString(PyExc_ValueError, "group member out of range");
                goto fail;
            }
        }
    }
    start[ngroups] = m;
    Py_ssize_t v = 0, n = -1;
    for (Py_ssize_t d = 0; d < ninputs; d++, v++) {
        if (PyObject_GetBuffer(PyList_GET_ITEM(cells_list, d), &views[v], PyBUF_C_CONTIGUOUS) < 0)
            goto fail;
        taken[v] = 1;
        Py_ssize_t size = views[v].itemsize;
        if ((size != 4 && size != 1) || views[v].len % size ||
            (n >= 0 && views[v].len / size != n)) {
            PyErr_SetString(PyExc_ValueError,
                            "cells must be int32 (or uint8) columns of one length");
            goto fail;
        }
        n = views[v].len / size;
    }
    Py_ssize_t classes_at = v;
    for (Py_ssize_t g = 0; g < ngroups; g++, v++) {
        if (PyObject_GetBuffer(PyList_GET_ITEM(classes, g), &views[v], PyBUF_C_CONTIGUOUS) < 0)
            goto fail;
        taken[v] = 1;
    }
    Py_ssize_t folds_at = v;
    for (Py_ssize_t f = 0; f < nfolds; f++, v++) {
        PyObject *flat;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(folds, f), "On", &flat, &width[f]))
            goto fail;
        if (PyObject_GetBuffer(flat, &views[v], PyBUF_C_CONTIGUOUS) < 0)
            goto fail;
        taken[v] = 1;
    }
    Py_ssize_t outcome_at = v;
    if (PyObject_GetBuffer(outcome_obj, &views[v], PyBUF_C_CONTIGUOUS) < 0)
        goto fail;
    taken[v++] = 1;
    Py_ssize_t out_at = v;
    if (PyObject_GetBuffer(out_obj, &views[v], PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0)
        goto fail;
    taken[v++] = 1;
    if (n < 0)
        n = 0;
    if (views[out_at].len != n * 8) {
        PyErr_SetString(PyExc_ValueError, "out must be n int64 values");
        goto fail;
    }
    /* Bounds: every index into a class, fold or outcome table is checked, so a wrong table
     * raises instead of reading past it. */
    unsigned bad = 0;
    Py_BEGIN_ALLOW_THREADS
    /* Column by column over blocks of rows: the inner loops are plain array arithmetic in
     * 32 bits. Every index is checked against its table; one out of range (a cell of -1,
     * say) makes the call raise instead of reading past the table. */
    int64_t *out = (int64_t *)views[out_at].buf;
    const int32_t *outcome = (const int32_t *)views[outcome_at].buf;
    uint32_t noutcome = (uint32_t)(views[outcome_at].len / 4);
    uint32_t index[FOLD_BLOCK], current[FOLD_BLOCK];
    for (Py_ssize_t base = 0; base < n; base += FOLD_BLOCK) {
        Py_ssize_t len = n - base < FOLD_BLOCK ? n - base : FOLD_BLOCK;
        for (Py_ssize_t g = 0; g < ngroups; g++) {
            for (Py_ssize_t i = 0; i < len; i++)
                index[i] = 0;
            for (Py_ssize_t j = start[g]; j < start[g + 1]; j++) {
                uint32_t weight = (uint32_t)stride[j];
                uint32_t cells_of_input = (uint32_t)limit[j];
                if (views[member[j]].itemsize == 1) { /* a boolean column: its bytes */
                    const uint8_t *cells = (const uint8_t *)views[member[j]].buf + base;
                    for (Py_ssize_t i = 0; i < len; i++) {
                        index[i] += (uint32_t)cells[i] * weight;
                        bad |= cells[i] >= cells_of_input;
                    }
                    continue;
                }
                const uint32_t *cells = (const uint32_t *)views[member[j]].buf + base;
                for (Py_ssize_t i = 0; i < len; i++) {
                    index[i] += cells[i] * weight;
                    bad |= cells[i] >= cells_of_input; /* -1 wraps: caught too */
                }
            }
            const int32_t *cls = (const int32_t *)views[classes_at + g].buf;
            uint32_t ncls = (uint32_t)(views[classes_at + g].len / 4);
            if (g == 0) {
                for (Py_ssize_t i = 0; i < len; i++) {
                    uint32_t at = index[i] < ncls ? index[i] : 0;
                    bad |= index[i] >= ncls;
                    current[i] = (uint32_t)cls[at];
                }
                continue;
            }
            const int32_t *flat = (const int32_t *)views[folds_at + g - 1].buf;
            uint32_t nflat = (uint32_t)(views[folds_at + g - 1].len / 4);
            uint32_t w = (uint32_t)width[g - 1];
            for (Py_ssize_t i = 0; i < len; i++) {
                uint32_t k = index[i] < ncls ? index[i] : 0;
                bad |= index[i] >= ncls;
                uint32_t at = current[i] * w + (uint32_t)cls[k];
                bad |= at >= nflat;
                current[i] = (uint32_t)flat[at < nflat ? at : 0];
            }
        }
        for (Py_ssize_t i = 0; i < len; i++) {
            uint32_t c = current[i];
            bad |= c >= noutcome;
            out[base + i] = outcome[c < noutcome ? c : 0];
        }
        if (bad)
            break;
    }
    Py_END_ALLOW_THREADS
    if (bad) {
        PyErr_SetString(PyExc_ValueError, "a cell or class outside its table");
        goto fail;
    }
    Py_INCREF(Py_None);
    result = Py_None;
    goto fail; /* release everything */
nomem:
    PyErr_NoMemory();
fail:
    if (views != NULL && taken != NULL)
        for (Py_ssize_t i = 0; i < nviews; i++)
            if (taken[i])
                PyBuffer_Release(&views[i]);
    PyMem_Free(views);
    PyMem_Free(taken);
    PyMem_Free(member);
    PyMem_Free(stride);
    PyMem_Free(limit);
    PyMem_Free(start);
    PyMem_Free(width);
    return result;
}

/* ------------------------------------------------------------------ the hashes, for tests */

/* word_slot(text, salt) -> the slot a str's words hash to in a look-up's table, or None when
 * the look-up does not find it by its words (not ASCII, or longer than ASCII_WORDS_MAX):
 * what batch/hashes.py's word_slot must give. */
static PyObject *
k_word_slot(PyObject *self, PyObject *args)
{
    PyObject *text;
    unsigned long long salt;
    if (!PyArg_ParseTuple(args, "UK", &text, &salt))
        return NULL;
    if (!is_ascii_str(text) || PyUnicode_GET_LENGTH(text) > ASCII_WORDS_MAX)
        Py_RETURN_NONE;
    uint64_t w[3];
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    ascii_words(ascii_data(text), length, w);
    return PyLong_FromUnsignedLong(word_slot(w, length, salt));
}

/* utf8_slot(data, salt) -> the slot Arrow text of these bytes hashes to, or None when it is
 * longer than 16 bytes (compared by length instead): batch/hashes.py's utf8_slot. */
static PyObject *
k_utf8_slot(PyObject *self, PyObject *args)
{
    const char *data;
    Py_ssize_t length;
    unsigned long long salt;
    if (!PyArg_ParseTuple(args, "y#K", &data, &length, &salt))
        return NULL;
    if (length > 16)
        Py_RETURN_NONE;
    unsigned char row[24] = {0}; /* the text, then room for the 8 bytes read past it */
    memcpy(row, data, (size_t)length);
    memset(row + length, 0xAB, sizeof(row) - (size_t)length); /* bytes the mask must drop */
    uint64_t a, b;
    utf8_words(row, length, &a, &b);
    return PyLong_FromUnsignedLong(utf8_slot(a, b, length, salt));
}

/* text_slot(first, second, size) -> the slot of fixed-width text whose code points at p
 * and q are these, in a table of `size` slots (a power of two): batch/hashes.py's. */
static PyObject *
k_text_slot(PyObject *self, PyObject *args)
{
    unsigned int first, second, size;
    if (!PyArg_ParseTuple(args, "III", &first, &second, &size))
        return NULL;
    if (size == 0 || (size & (size - 1))) {
        PyErr_SetString(PyExc_ValueError, "size must be a power of two");
        return NULL;
    }
    return PyLong_FromUnsignedLong(text_slot(first, second, size - 1));
}

static PyMethodDef methods[] = {
    {"numbers", k_numbers, METH_VARARGS, "Cells of a number column (-1: ask the validator)."},
    {"lookup", k_lookup, METH_VARARGS, "Cells of a choice or boolean column (-1: ask)."},
    {"text", k_text, METH_VARARGS, "Cells of a fixed-width text column (-1: ask)."},
    {"codes", k_codes, METH_VARARGS, "Cells of a categorical's codes (-1: ask)."},
    {"utf8", k_utf8, METH_VARARGS, "Cells of an Arrow text column (-1: ask)."},
    {"fold", k_fold, METH_VARARGS, "Rule index per row from the cells of every input."},
    {"objects", k_objects, METH_VARARGS, "Cells of list and object columns, shared by threads."},
    {"word_slot", k_word_slot, METH_VARARGS, "The look-up slot of a str's words (tests)."},
    {"utf8_slot", k_utf8_slot, METH_VARARGS, "The slot of Arrow text's words (tests)."},
    {"text_slot", k_text_slot, METH_VARARGS, "The slot of fixed-width text (tests)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "gistpath._kernel",
    "The batch path's inner loops in C; see gistpath.batch.", -1, methods, NULL, NULL, NULL,
    NULL,
};

PyMODINIT_FUNC
PyInit__kernel(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddIntConstant(m, "ABI_VERSION", KERNEL_ABI_VERSION) < 0 ||
        PyModule_AddIntConstant(m, "NO_CELL", NO_CELL) < 0 ||
        PyModule_AddIntConstant(m, "NOT_READ", NOT_READ) < 0 ||
        PyModule_AddIntConstant(m, "JOB_NUMBERS", JOB_NUMBERS) < 0 ||
        PyModule_AddIntConstant(m, "JOB_LOOKUP", JOB_LOOKUP) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
