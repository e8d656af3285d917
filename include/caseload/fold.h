/* fold: the form in which names are compared, for search and for finding
 * duplicate patients.  Every script is romanised and stripped of accents
 * by ICU's transliterator (Any-Latin, then Latin-ASCII) and lower-cased,
 * so that "Núñez" and "nunez" fold alike, "Ødegaard" to "odegaard",
 * "Nguyễn" to "nguyen" and "王伟" to "wang wei". */
#ifndef CASELOAD_FOLD_H
#define CASELOAD_FOLD_H
#include "caseload/util.h"

/* The folded form of s (NULL: ""); the caller frees.  Invalid UTF-8
 * becomes U+FFFD, which is not part of any word. */
char *fold(const char *s);
/* Append to out the words of fold(s): its runs of letters and digits
 * ("O'Brien-Smith" gives "o", "brien", "smith"). */
void fold_words(const char *s, struct strlist *out);
/* The name two patients are compared by: the words of the family name
 * run together, a comma, those of the given name ("Núñez, José" and
 * "NUNEZ, Jose" both give "nunez,jose").  The caller frees. */
char *fold_name_key(const char *family, const char *given);

#endif
