/* SPDX-License-Identifier: BSD-3-Clause */
/* Write every frame of the given pcap files (radiotap stripped) as one file
 * each in a corpus folder, to seed the fuzzers with real frames.
 * Usage: pcap_to_corpus OUT_DIR FILE.pcap... */
#include <stdio.h>

#include <pcap/pcap.h>

int
main(int argc, char **argv)
{
	unsigned long n = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: %s OUT_DIR FILE.pcap...\n", argv[0]);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		char err[PCAP_ERRBUF_SIZE], path[4096];
		struct pcap_pkthdr *h;
		const unsigned char *p;
		pcap_t *pc = pcap_open_offline(argv[i], err);

		if (pc == NULL) {
			fprintf(stderr, "pcap_to_corpus: %s\n", err);
			continue;
		}
		while (pcap_next_ex(pc, &h, &p) == 1) {
			unsigned int off = 0;
			FILE *f;

			if (pcap_datalink(pc) == DLT_IEEE802_11_RADIO && h->caplen >= 4)
				off = (unsigned int)(p[2] | p[3] << 8);
			if (off > h->caplen)
				continue;
			snprintf(path, sizeof(path), "%s/frame%05lu", argv[1], n++);
			f = fopen(path, "wb");
			if (f == NULL) {
				perror(path);
				return 1;
			}
			fwrite(p + off, 1, h->caplen - off, f);
			fclose(f);
		}
		pcap_close(pc);
	}
	printf("pcap_to_corpus: %lu frames\n", n);
	return 0;
}
