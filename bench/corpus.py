"""A synthetic corpus for the batch benchmark: N articles of about 5 KB, deterministic from a seed.

    python bench/corpus.py OUT_DIR -n 2000 [--seed 1]

Files go to OUT_DIR/<format>/docNNNNNN.<ext> (txt, md, html, pdf) and OUT_DIR/.manifest.tsv lists each
one (name, language kind, format, encoding, bytes); the manifest is a hidden file, so ingesting OUT_DIR
does not archive it. Document i depends only on (seed, i), so the corpus of 20,000 begins with the
corpus of 2,000 and the two can be compared.

The mix follows what the archive receives: English articles carrying Persian and Arabic quotations,
phrases and verse, and whole Persian, Urdu, Pashto and Arabic articles; UTF-8 mostly, some UTF-16, and
Windows-1256 for Arabic-script text the way older sites and editors saved it (Persian yeh written as
Arabic yeh, since the code page has no U+06CC). Sentences come from topical pools with slots, so no two
articles are near copies. Bylines (one or two authors, several labels) and dates (Gregorian, solar and
lunar Hijri, ISO, numeric) are written in more than one way, some articles open with an abstract and
keywords, and some Persian ones are Dari. Each article keeps the outline it was written from, which
bench/extraction.py scores the records against. PDFs hold Latin text only: they are written with the
standard Helvetica font, which needs no embedding and has no Arabic glyphs.
"""

from __future__ import annotations

import argparse
import random
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from hijridate import Gregorian

FORMATS = ("txt", "md", "html", "pdf")
KINDS = ("en", "fa", "ar", "ur", "ps")
# Share of each kind of article in the corpus.
KIND_WEIGHTS = {"en": 30, "fa": 20, "ar": 20, "ur": 15, "ps": 15}
TARGET_BYTES = (3800, 6200)

# --- sentence pools ------------------------------------------------------------------------------
# Three topics per language; {city}, {name}, {year}, {num} are filled per sentence.

EN = {
    "archives": [
        "The archive in {city} keeps more than {num} letters written by teachers, merchants and travellers.",
        "Most of the manuscripts arrived in wooden crates, and some had not been opened since {year}.",
        "Volunteers spent the winter sorting photographs, newspapers and handwritten notebooks by date.",
        "{name} said the collection was the only record of how the town looked before the war.",
        "Each page is scanned twice, once in colour and once in high contrast for the text.",
        "The catalogue now lists every item with its source, its language and the date it was received.",
        "Researchers from {city} asked for copies of the court records from the early {year}s.",
        "A leaking roof damaged about {num} folders, but most of them were dried and saved.",
        "The library opened a small reading room where visitors can consult the originals under supervision.",
        "Nobody is sure who wrote the diary, although the handwriting matches two letters signed by {name}.",
        "Digitised copies are shared with universities, while the paper originals never leave the building.",
        "The oldest document in the collection is a land deed that mentions a well, three orchards and a mill.",
        "Librarians say the hardest part of the work is not scanning but describing what each item is.",
    ],
    "city": [
        "In {city}, the morning traffic starts before six and the bakeries open even earlier.",
        "The river that crosses the old quarter was almost dry by the end of the summer of {year}.",
        "Shopkeepers in the covered market complained that rents had doubled in less than {num} months.",
        "{name}, who has sold carpets near the main square for thirty years, remembers quieter times.",
        "A new bus line now links the university to the northern suburbs of {city}.",
        "Heavy snow closed the mountain road for four days, and prices of fresh fruit rose sharply.",
        "The municipality planted {num} trees along the avenue that leads to the railway station.",
        "Families spend Friday afternoons in the public gardens, where tea is served in small glasses.",
        "Residents say the water supply has improved, although the pressure still drops in the evening.",
        "Street vendors sell roasted corn, boiled beans and pomegranate juice until late at night.",
        "The old cinema reopened as a cultural centre with exhibitions, concerts and evening classes.",
        "According to local officials, about {num} families returned to the district last year.",
    ],
    "culture": [
        "Poetry remains part of everyday speech, and many people can recite long passages from memory.",
        "The festival brought together musicians from {city} and from villages across the region.",
        "{name} has translated more than twenty novels and is now working on a collection of short stories.",
        "Calligraphy classes are full every spring, and the waiting list grows longer each year.",
        "The exhibition shows textiles, ceramics and book bindings made between {year} and the present.",
        "Critics praised the film for its quiet pace and for the way it listened to ordinary people.",
        "Young writers publish their first poems online, long before any publisher notices them.",
        "A museum in {city} is restoring a collection of illustrated manuscripts damaged by damp.",
        "The new dictionary lists about {num} words that entered the language during the last century.",
        "Storytellers used to travel from town to town, carrying tales that nobody had written down.",
        "Historians disagree about the date of the building, but its tiles are clearly older than the dome.",
        "The school teaches children to read in their mother tongue before they learn a second language.",
    ],
}

# English frames for a phrase in another language; {phrase} is Persian or Arabic text.
EN_FRAMES = [
    "Locals still call the place {phrase}, a name older than any map of the city.",
    "The word {phrase} appears on the first page of the notebook, underlined twice.",
    "Her grandmother used to say {phrase} whenever the family sat down to eat.",
    "The sign above the door reads {phrase}, painted in blue and gold.",
    "In the letters he signs himself with the phrase {phrase}, meaning roughly “your servant”.",
    "The title of the pamphlet, {phrase}, was chosen by the printers rather than by the author.",
]

FA = {
    "archives": [
        "بایگانی شهر {city} بیش از {num} نامه از معلمان، بازرگانان و مسافران را نگه می‌دارد.",
        "بیشتر دست‌نوشته‌ها در صندوق‌های چوبی رسیدند و برخی از آن‌ها از سال {year} باز نشده بودند.",
        "داوطلبان زمستان را صرف مرتب کردن عکس‌ها، روزنامه‌ها و دفترچه‌های دست‌نویس کردند.",
        "{name} گفت که این مجموعه تنها نشانهٔ برجای‌مانده از چهرهٔ شهر پیش از جنگ است.",
        "هر برگ دو بار اسکن می‌شود، یک بار رنگی و یک بار با کنتراست بالا برای خواندن متن.",
        "فهرست تازه برای هر سند منبع، زبان و تاریخ رسیدن آن را ثبت کرده است.",
        "پژوهشگرانی از {city} خواستار نسخه‌ای از پرونده‌های دادگاه در دههٔ {year} شدند.",
        "چکه کردن سقف به حدود {num} پوشه آسیب زد، اما بیشتر آن‌ها خشک و نجات داده شدند.",
        "کتابخانه تالار کوچکی گشوده است که پژوهشگران در آن اصل اسناد را زیر نظر کتابدار می‌بینند.",
        "کسی نمی‌داند نویسندهٔ این یادداشت‌ها کیست، هرچند دست‌خط آن به دو نامه از {name} می‌ماند.",
        "نسخه‌های دیجیتال با دانشگاه‌ها به اشتراک گذاشته می‌شود، ولی اصل کاغذها هرگز از ساختمان بیرون نمی‌رود.",
        "کهن‌ترین سند مجموعه قباله‌ای است که از یک چاه، سه باغ و یک آسیاب نام می‌برد.",
        "کتابداران می‌گویند دشوارترین بخش کار اسکن کردن نیست، بلکه توصیف درست هر سند است.",
    ],
    "city": [
        "در {city} رفت‌وآمد صبحگاهی پیش از ساعت شش آغاز می‌شود و نانوایی‌ها زودتر از همه باز می‌کنند.",
        "رودخانه‌ای که از محلهٔ قدیمی می‌گذرد در پایان تابستان {year} تقریباً خشک شده بود.",
        "مغازه‌داران بازار سرپوشیده می‌گویند اجاره‌ها در کمتر از {num} ماه دو برابر شده است.",
        "{name} که سی سال است در نزدیکی میدان اصلی فرش می‌فروشد، روزهای آرام‌تر را به یاد می‌آورد.",
        "یک خط تازهٔ اتوبوس اکنون دانشگاه را به محله‌های شمالی {city} می‌رساند.",
        "برف سنگین جادهٔ کوهستانی را چهار روز بست و بهای میوهٔ تازه به‌شدت بالا رفت.",
        "شهرداری {num} درخت در کنار خیابانی کاشت که به ایستگاه راه‌آهن می‌رسد.",
        "خانواده‌ها بعدازظهرهای جمعه را در باغ‌های عمومی می‌گذرانند و چای را در استکان‌های کوچک می‌نوشند.",
        "ساکنان می‌گویند آب‌رسانی بهتر شده است، هرچند فشار آب شب‌ها هنوز پایین می‌آید.",
        "دست‌فروشان تا دیروقت بلال کبابی، باقلای پخته و آب انار می‌فروشند.",
        "سینمای قدیمی به‌عنوان خانهٔ فرهنگ با نمایشگاه، کنسرت و کلاس‌های شبانه دوباره گشایش یافت.",
        "به گفتهٔ مقام‌های محلی، سال گذشته حدود {num} خانواده به این ناحیه بازگشتند.",
    ],
    "culture": [
        "شعر هنوز بخشی از گفت‌وگوی روزمره است و بسیاری از مردم بیت‌های بلندی را از بر دارند.",
        "جشنواره نوازندگانی از {city} و روستاهای سراسر منطقه را گرد هم آورد.",
        "{name} بیش از بیست رمان ترجمه کرده و اکنون روی مجموعه‌ای از داستان‌های کوتاه کار می‌کند.",
        "کلاس‌های خوشنویسی هر بهار پر می‌شود و فهرست انتظار هر سال بلندتر می‌شود.",
        "این نمایشگاه پارچه‌ها، سفالینه‌ها و جلدهای کتابی را نشان می‌دهد که از {year} تا امروز ساخته شده‌اند.",
        "منتقدان فیلم را برای آهنگ آرامش و شنیدن صدای مردم عادی ستودند.",
        "نویسندگان جوان نخستین شعرهای خود را در اینترنت منتشر می‌کنند، پیش از آنکه ناشری آن‌ها را ببیند.",
        "موزه‌ای در {city} مجموعه‌ای از نسخه‌های خطی مصور را که نم دیده بودند مرمت می‌کند.",
        "فرهنگ تازه نزدیک به {num} واژه را فهرست کرده که در سدهٔ گذشته وارد زبان شده‌اند.",
        "قصه‌گویان از شهری به شهر دیگر می‌رفتند و داستان‌هایی را می‌بردند که کسی ننوشته بود.",
        "تاریخ‌نگاران بر سر تاریخ ساخت بنا هم‌داستان نیستند، اما کاشی‌های آن آشکارا از گنبد کهن‌ترند.",
        "مدرسه به کودکان می‌آموزد که پیش از یادگیری زبان دوم به زبان مادری خود بخوانند.",
    ],
}

AR = {
    "archives": [
        "يحفظ أرشيف مدينة {city} أكثر من {num} رسالة كتبها معلمون وتجار ومسافرون.",
        "وصلت معظم المخطوطات في صناديق خشبية، وبعضها لم يفتح منذ عام {year}.",
        "أمضى المتطوعون فصل الشتاء في ترتيب الصور والصحف والدفاتر المكتوبة بخط اليد.",
        "قال {name} إن هذه المجموعة هي السجل الوحيد لشكل المدينة قبل الحرب.",
        "تمسح كل صفحة مرتين، مرة بالألوان ومرة بتباين عال لقراءة النص.",
        "يسجل الفهرس الجديد لكل وثيقة مصدرها ولغتها وتاريخ وصولها.",
        "طلب باحثون من {city} نسخاً من سجلات المحكمة التي تعود إلى عقد {year}.",
        "أتلف تسرب المياه من السقف نحو {num} ملف، لكن معظمها جفف وأنقذ.",
        "افتتحت المكتبة قاعة صغيرة يطلع فيها الزوار على الأصول تحت إشراف أمين المكتبة.",
        "لا أحد يعرف من كتب هذه المذكرات، مع أن الخط يشبه رسالتين وقعهما {name}.",
        "تتقاسم المكتبة النسخ الرقمية مع الجامعات، أما الأصول الورقية فلا تغادر المبنى أبداً.",
        "أقدم وثيقة في المجموعة حجة أرض تذكر بئراً وثلاثة بساتين وطاحونة.",
        "يقول أمناء المكتبة إن أصعب ما في العمل ليس المسح الضوئي بل وصف كل وثيقة وصفاً دقيقاً.",
    ],
    "city": [
        "في {city} تبدأ حركة السير الصباحية قبل السادسة، وتفتح المخابز أبوابها قبل ذلك.",
        "كاد النهر الذي يعبر الحي القديم يجف في نهاية صيف عام {year}.",
        "اشتكى أصحاب المحلات في السوق المسقوف من أن الإيجارات تضاعفت في أقل من {num} شهراً.",
        "يتذكر {name}، الذي يبيع السجاد قرب الساحة الرئيسية منذ ثلاثين عاماً، أياماً أكثر هدوءاً.",
        "يربط خط حافلات جديد الجامعة بالأحياء الشمالية من {city}.",
        "أغلقت الثلوج الكثيفة الطريق الجبلي أربعة أيام، فارتفعت أسعار الفاكهة الطازجة ارتفاعاً حاداً.",
        "زرعت البلدية {num} شجرة على طول الشارع المؤدي إلى محطة القطار.",
        "تقضي العائلات عصر يوم الجمعة في الحدائق العامة حيث يقدم الشاي في أكواب صغيرة.",
        "يقول السكان إن إمدادات المياه تحسنت، وإن كان الضغط ما زال ينخفض في المساء.",
        "يبيع الباعة المتجولون الذرة المشوية والفول المسلوق وعصير الرمان حتى وقت متأخر من الليل.",
        "أعيد افتتاح السينما القديمة مركزاً ثقافياً يضم معارض وحفلات موسيقية ودروساً مسائية.",
        "بحسب المسؤولين المحليين، عادت نحو {num} عائلة إلى الحي في العام الماضي.",
    ],
    "culture": [
        "ما زال الشعر جزءاً من الكلام اليومي، ويحفظ كثير من الناس مقاطع طويلة منه عن ظهر قلب.",
        "جمع المهرجان موسيقيين من {city} ومن قرى المنطقة كلها.",
        "ترجم {name} أكثر من عشرين رواية، ويعمل الآن على مجموعة من القصص القصيرة.",
        "تمتلئ دروس الخط العربي كل ربيع، وتطول قائمة الانتظار عاماً بعد عام.",
        "يعرض المعرض منسوجات وخزفيات وأغلفة كتب صنعت بين عام {year} واليوم.",
        "أشاد النقاد بالفيلم لإيقاعه الهادئ ولإصغائه إلى الناس العاديين.",
        "ينشر الكتاب الشباب قصائدهم الأولى على الإنترنت قبل أن يلتفت إليهم أي ناشر.",
        "يرمم متحف في {city} مجموعة من المخطوطات المزخرفة التي أصابتها الرطوبة.",
        "يضم المعجم الجديد نحو {num} كلمة دخلت اللغة خلال القرن الماضي.",
        "كان الحكواتيون ينتقلون من مدينة إلى أخرى حاملين حكايات لم يدونها أحد.",
        "يختلف المؤرخون في تاريخ بناء المسجد، لكن بلاطه أقدم من القبة بلا شك.",
        "تعلم المدرسة الأطفال القراءة بلغتهم الأم قبل أن يتعلموا لغة ثانية.",
    ],
}

UR = {
    "archives": [
        "{city} کے آرکائیو میں اساتذہ، تاجروں اور مسافروں کے لکھے ہوئے {num} سے زیادہ خطوط محفوظ ہیں۔",
        "زیادہ تر مخطوطات لکڑی کے صندوقوں میں پہنچے، اور ان میں سے کچھ {year} کے بعد کبھی نہیں کھولے گئے۔",
        "رضاکاروں نے سردیوں کا پورا موسم تصویروں، اخباروں اور ہاتھ سے لکھی کاپیوں کو ترتیب دینے میں گزارا۔",
        "{name} نے بتایا کہ یہ ذخیرہ جنگ سے پہلے کے شہر کا واحد ریکارڈ ہے۔",
        "ہر صفحہ دو بار اسکین کیا جاتا ہے، ایک بار رنگین اور ایک بار متن پڑھنے کے لیے گہرے تضاد کے ساتھ۔",
        "نئی فہرست میں ہر دستاویز کا ماخذ، اس کی زبان اور موصول ہونے کی تاریخ درج ہے۔",
        "{city} کے محققین نے {year} کی دہائی کے عدالتی ریکارڈ کی نقول مانگی ہیں۔",
        "چھت ٹپکنے سے تقریباً {num} فائلیں خراب ہوئیں، لیکن ان میں سے زیادہ تر سکھا کر بچا لی گئیں۔",
        "کتب خانے نے ایک چھوٹا مطالعہ کمرہ کھولا ہے جہاں محققین نگرانی میں اصل دستاویزات دیکھ سکتے ہیں۔",
        "کوئی نہیں جانتا کہ یہ روزنامچہ کس نے لکھا، اگرچہ اس کی لکھائی {name} کے دو خطوں سے ملتی ہے۔",
        "ڈیجیٹل نقول جامعات کے ساتھ بانٹی جاتی ہیں، لیکن کاغذی اصل کبھی عمارت سے باہر نہیں جاتے۔",
        "ذخیرے کی سب سے پرانی دستاویز زمین کا ایک بیع نامہ ہے جس میں ایک کنویں، تین باغوں اور ایک چکی کا ذکر ہے۔",
    ],
    "city": [
        "{city} میں صبح کی ٹریفک چھ بجے سے پہلے شروع ہو جاتی ہے اور تنور اس سے بھی پہلے کھل جاتے ہیں۔",
        "پرانے محلے سے گزرنے والا دریا {year} کی گرمیوں کے آخر تک تقریباً سوکھ چکا تھا۔",
        "ڈھکے ہوئے بازار کے دکانداروں کا کہنا ہے کہ {num} مہینوں سے بھی کم عرصے میں کرائے دگنے ہو گئے۔",
        "{name}، جو تیس برس سے مرکزی چوک کے قریب قالین بیچ رہے ہیں، پرسکون دنوں کو یاد کرتے ہیں۔",
        "بسوں کا ایک نیا راستہ اب جامعہ کو {city} کے شمالی علاقوں سے ملاتا ہے۔",
        "شدید برفباری نے پہاڑی سڑک چار دن تک بند رکھی اور تازہ پھلوں کی قیمتیں تیزی سے بڑھ گئیں۔",
        "بلدیہ نے ریلوے اسٹیشن کو جانے والی سڑک کے کنارے {num} درخت لگائے۔",
        "خاندان جمعے کی شام عوامی باغوں میں گزارتے ہیں جہاں چھوٹے گلاسوں میں چائے ملتی ہے۔",
        "رہائشیوں کا کہنا ہے کہ پانی کی فراہمی بہتر ہوئی ہے، اگرچہ شام کو دباؤ اب بھی کم ہو جاتا ہے۔",
        "ریڑھی والے رات گئے تک بھنی ہوئی مکئی، ابلے ہوئے چنے اور انار کا رس بیچتے ہیں۔",
        "پرانا سینما نمائشوں، محفلِ موسیقی اور شام کی کلاسوں کے ساتھ ثقافتی مرکز کے طور پر دوبارہ کھل گیا۔",
        "مقامی حکام کے مطابق پچھلے سال تقریباً {num} خاندان اس علاقے میں واپس آئے۔",
    ],
    "culture": [
        "شاعری آج بھی روزمرہ گفتگو کا حصہ ہے اور بہت سے لوگوں کو لمبی نظمیں زبانی یاد ہیں۔",
        "میلے میں {city} اور پورے علاقے کے دیہات سے موسیقار اکٹھے ہوئے۔",
        "{name} بیس سے زیادہ ناول ترجمہ کر چکے ہیں اور اب افسانوں کے ایک مجموعے پر کام کر رہے ہیں۔",
        "خطاطی کی کلاسیں ہر بہار میں بھر جاتی ہیں اور انتظار کی فہرست ہر سال لمبی ہوتی جاتی ہے۔",
        "نمائش میں {year} سے آج تک بنائے گئے کپڑے، مٹی کے برتن اور کتابوں کی جلدیں دکھائی گئی ہیں۔",
        "نقادوں نے فلم کی دھیمی رفتار اور عام لوگوں کی بات سننے کے انداز کی تعریف کی۔",
        "نوجوان لکھنے والے اپنی پہلی نظمیں انٹرنیٹ پر شائع کرتے ہیں، کسی ناشر کی نظر پڑنے سے بہت پہلے۔",
        "{city} کا ایک عجائب گھر نمی سے خراب ہونے والے مصور مخطوطات کی مرمت کر رہا ہے۔",
        "نئی لغت میں تقریباً {num} ایسے الفاظ درج ہیں جو پچھلی صدی میں زبان میں داخل ہوئے۔",
        "داستان گو ایک شہر سے دوسرے شہر جاتے تھے اور ایسی کہانیاں سناتے تھے جو کسی نے لکھی نہیں تھیں۔",
        "اسکول بچوں کو دوسری زبان سیکھنے سے پہلے اپنی مادری زبان میں پڑھنا سکھاتا ہے۔",
    ],
}

PS = {
    "archives": [
        "د {city} آرشیف کې د ښوونکو، سوداګرو او مسافرو له {num} څخه ډېر لیکونه خوندي دي.",
        "ډېری لاسي نسخې په لرګینو صندوقونو کې راورسېدې، او ځینې یې له {year} کال راهیسې نه وې پرانیستل شوې.",
        "رضاکارانو ټول ژمی د انځورونو، ورځپاڼو او لاسي لیکل شویو کتابچو په ترتیبولو تېر کړ.",
        "{name} وویل چې دا ټولګه د جګړې څخه مخکې د ښار یوازینی ثبت دی.",
        "هره پاڼه دوه ځله سکن کېږي، یو ځل رنګه او یو ځل د متن د لوستلو لپاره په لوړ تضاد.",
        "نوی فهرست د هر سند سرچینه، ژبه او د رسېدو نېټه ثبتوي.",
        "د {city} څېړونکو د {year} لسیزې د محکمې د اسنادو کاپي وغوښتې.",
        "د چت څڅېدو شاوخوا {num} دوسیو ته زیان ورساوه، خو ډېری یې وچې او وژغورل شوې.",
        "کتابتون یوه کوچنۍ د مطالعې خونه پرانیستې چې څېړونکي پکې د کتابدار تر څار لاندې اصلي اسناد ګوري.",
        "هېڅوک نه پوهېږي چې دا یادښتونه چا لیکلي، که څه هم لیک یې د {name} دوو لیکونو ته ورته دی.",
        "ډیجیټلي کاپي له پوهنتونونو سره شریکېږي، خو اصلي کاغذونه هېڅکله له ودانۍ نه بهر نه ځي.",
        "د ټولګې تر ټولو زوړ سند د ځمکې یو قباله ده چې د یوې کوهۍ، درېیو باغونو او یوې ژرندې یادونه کوي.",
    ],
    "city": [
        "په {city} کې د سهار ګڼه ګوڼه له شپږو بجو مخکې پیلېږي او نانوايي تر دې هم وړاندې پرانیستل کېږي.",
        "هغه سیند چې له زاړه ښار څخه تېرېږي، د {year} کال د دوبي په پای کې نږدې وچ شوی و.",
        "د پوښل شوي بازار دوکاندارانو ګیله وکړه چې کرایې له {num} میاشتو په لږ وخت کې دوه برابره شوې.",
        "{name} چې دېرش کاله د ښار د مرکزي چوک ته نږدې غالۍ پلوري، ارام وختونه یې په یاد دي.",
        "د بسونو یوه نوې کرښه اوس پوهنتون د {city} له شمالي سیمو سره نښلوي.",
        "درنو واورو د غره لاره څلور ورځې بنده کړه او د تازه مېوو بیې ډېرې لوړې شوې.",
        "ښاروالۍ د اورګاډي تمځای ته د تلونکي سړک پر غاړه {num} ونې کېنولې.",
        "کورنۍ د جمعې ماسپښین په عامه باغونو کې تېروي، چېرته چې چای په کوچنیو ګیلاسونو کې ورکول کېږي.",
        "اوسېدونکي وايي چې د اوبو رسونه ښه شوې، که څه هم ماښام مهال یې فشار لا هم راټیټېږي.",
        "ګرځنده پلورونکي تر ناوخته شپې پورې وریتې جوارې، اېشېدلې لوبیا او د انارو اوبه پلوري.",
        "زوړ سینما د نندارتونونو، کنسرټونو او ماښامنیو ټولګیو سره د فرهنګي مرکز په توګه بیا پرانیستل شو.",
        "د سیمه ییزو چارواکو په وینا، تېر کال شاوخوا {num} کورنۍ بېرته دې ولسوالۍ ته راستنې شوې.",
    ],
    "culture": [
        "شعر لا هم د ورځني خبرو برخه ده او ډېر خلک اوږدې ټوټې په یاد لري.",
        "جشنوارې د {city} او د ټولې سیمې له کلیو څخه سندرغاړي سره راټول کړل.",
        "{name} له شلو څخه ډېر ناولونه ژباړلي او اوس د لنډو کیسو پر یوې ټولګې کار کوي.",
        "د خطاطۍ ټولګي هر پسرلی ډکېږي او د انتظار لېست هر کال اوږدېږي.",
        "نندارتون هغه ټوکر، لوښي او د کتابونو پوښونه ښيي چې له {year} کال څخه تر نن پورې جوړ شوي.",
        "منتقدینو فلم د هغه د ارام رفتار او د عامو خلکو د غږ اورېدو له امله وستایه.",
        "ځوان لیکوال خپل لومړني شعرونه په انټرنېټ کې خپروي، مخکې له دې چې کوم خپرونکی یې وویني.",
        "په {city} کې یو موزیم د انځور لرونکو لاسي نسخو ټولګه رغوي چې لندبل زیانمنې کړې وې.",
        "نوی قاموس شاوخوا {num} داسې لغتونه لري چې په تېره پېړۍ کې ژبې ته ننوتي.",
        "کیسه ویونکي له یوه ښاره بل ته تلل او هغه کیسې یې له ځانه سره وړې چې چا نه وې لیکلې.",
        "ښوونځی ماشومانو ته دا زده کوي چې د دویمې ژبې تر زده کړې مخکې په خپله مورنۍ ژبه ولولي.",
    ],
}

POOLS = {"en": EN, "fa": FA, "ar": AR, "ur": UR, "ps": PS}

CITIES = {
    "en": ["Herat", "Kabul", "Shiraz", "Lahore", "Peshawar", "Isfahan", "Baghdad", "Damascus", "Mazar-i-Sharif"],
    "fa": ["هرات", "کابل", "شیراز", "اصفهان", "تبریز", "مشهد", "بلخ", "کرمان"],
    "ar": ["بغداد", "دمشق", "القاهرة", "حلب", "الموصل", "بيروت", "تونس", "فاس"],
    "ur": ["لاہور", "کراچی", "پشاور", "ملتان", "حیدرآباد", "کوئٹہ", "راولپنڈی"],
    "ps": ["کندهار", "جلال اباد", "پېښور", "خوست", "کابل", "غزني", "لښکرګاه"],
}
NAMES = {
    "en": ["Sarah Whitfield", "David Okafor", "Maria Lindqvist", "James Carter", "Ayesha Rahman", "Tom Ellison",
           "Nadia Haddad", "Peter Novak"],
    "fa": ["مریم احمدی", "علی رضایی", "زهرا کریمی", "حسین نوری", "فرشته یوسفی", "محمد صادقی", "نسرین هاشمی"],
    "ar": ["أحمد الخطيب", "ليلى حسن", "محمود عبد الله", "سلمى يوسف", "خالد منصور", "هدى سليمان"],
    "ur": ["عائشہ خان", "عمران احمد", "فاطمہ ملک", "شاہد حسین", "نسرین اختر", "بلال چوہدری"],
    "ps": ["احمد شاه ځدراڼ", "ملالۍ یوسفزۍ", "ګل محمد", "زرغونه کاکړ", "نصیر احمد", "شبنم وردګ"],
}
# Inline phrases and block quotations that English articles carry.
FA_PHRASES = ["کوچهٔ باغ", "بندهٔ شما", "خانهٔ فرهنگ", "نوش جان", "دارالفنون", "بازار کهنه", "چراغ راه"]
AR_PHRASES = ["بيت الحكمة", "خادمكم المطيع", "دار الكتب", "سوق الورّاقين", "أهلاً وسهلاً", "باب الشرق"]
FA_VERSE = [
    ("بشنو این نی چون شکایت می‌کند", "از جدایی‌ها حکایت می‌کند"),
    ("توانا بود هر که دانا بود", "ز دانش دل پیر برنا بود"),
    ("بنی‌آدم اعضای یکدیگرند", "که در آفرینش ز یک گوهرند"),
    ("الا یا ایها الساقی ادر کاسا و ناولها", "که عشق آسان نمود اول ولی افتاد مشکل‌ها"),
]
HEADINGS = {
    "en": {"archives": ["From the crates to the catalogue", "What the letters tell us", "A fragile inheritance"],
           "city": ["Life in the old quarter", "Prices and patience", "A city that starts early"],
           "culture": ["Words that travel", "Between two languages", "An audience for poetry"]},
    "fa": {"archives": ["از صندوق تا فهرست", "آنچه نامه‌ها می‌گویند", "میراثی شکننده"],
           "city": ["زندگی در محلهٔ قدیمی", "بها و شکیبایی", "شهری که زود بیدار می‌شود"],
           "culture": ["واژه‌هایی که سفر می‌کنند", "میان دو زبان", "شنوندگان شعر"]},
    "ar": {"archives": ["من الصناديق إلى الفهرس", "ما تقوله الرسائل", "إرث هش"],
           "city": ["الحياة في الحي القديم", "الأسعار والصبر", "مدينة تستيقظ باكراً"],
           "culture": ["كلمات مسافرة", "بين لغتين", "جمهور للشعر"]},
    "ur": {"archives": ["صندوقوں سے فہرست تک", "خطوط کیا بتاتے ہیں", "ایک نازک ورثہ"],
           "city": ["پرانے محلے کی زندگی", "قیمتیں اور صبر", "جلد جاگنے والا شہر"],
           "culture": ["سفر کرنے والے الفاظ", "دو زبانوں کے درمیان", "شاعری کے سامعین"]},
    "ps": {"archives": ["له صندوقونو تر فهرست پورې", "لیکونه څه وايي", "یو نازک میراث"],
           "city": ["په زاړه ښار کې ژوند", "بیې او صبر", "هغه ښار چې وختي پاڅېږي"],
           "culture": ["سفر کوونکي لغتونه", "د دوو ژبو ترمنځ", "د شعر اورېدونکي"]},
}
TITLES = {
    "en": ["{city}: {h}", "{h} in {city}", "Notes from {city}: {h}"],
    "fa": ["{city}: {h}", "{h} در {city}", "یادداشت‌هایی از {city}: {h}"],
    "ar": ["{city}: {h}", "{h} في {city}", "رسالة من {city}: {h}"],
    "ur": ["{city}: {h}", "{city} میں {h}", "{city} سے ایک رپورٹ: {h}"],
    "ps": ["{city}: {h}", "په {city} کې {h}", "د {city} څخه یادښتونه: {h}"],
}
BYLINE = {"en": "By {name}", "fa": "نویسنده: {name}", "ar": "بقلم {name}", "ur": "تحریر: {name}",
          "ps": "لیکوال: {name}"}
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "fa": ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"],
    "ar": ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
           "ديسمبر"],
    "ur": ["جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون", "جولائی", "اگست", "ستمبر", "اکتوبر", "نومبر", "دسمبر"],
    "ps": ["وری", "غویی", "غبرګولی", "چنګاښ", "زمری", "وږی", "تله", "لړم", "لیندۍ", "مرغومی", "سلواغه", "کب"],
}
# Other ways of writing the byline and the date, drawn for half the articles from a stream of their
# own, so that the other half is written as before: several authors, other labels, numeric and ISO
# dates, and Arabic dates in the lunar Hijri calendar.
OTHER_BYLINES = {
    "en": ["Written by {names}", "Author: {names}"],
    "fa": ["نوشته: {names}", "به قلم {names}"],
    "ar": ["الكاتب: {names}"],
    "ur": ["رپورٹ: {names}"],
    "ps": ["لیکنه: {names}"],
}
AUTHORS_JOINED = {"en": " and ", "fa": " و ", "ar": "، ", "ur": " اور ", "ps": " او "}
# The front matter of a paper, for a quarter of the articles: an abstract and keywords after the date.
ABSTRACT_LABEL = {"en": "Abstract", "fa": "چکیده", "ar": "الملخص", "ur": "خلاصہ", "ps": "لنډیز"}
KEYWORDS_LABEL = {"en": "Keywords", "fa": "کلیدواژه‌ها", "ar": "الكلمات المفتاحية", "ur": "کلیدی الفاظ",
                  "ps": "کلیدي ټکي"}
KEYWORDS = {
    "en": ["archives", "manuscripts", "oral history", "poetry", "digitization", "Kabul", "Peshawar"],
    "fa": ["بایگانی", "نسخه خطی", "تاریخ شفاهی", "شعر", "دیجیتال‌سازی", "هرات"],
    "ar": ["الأرشيف", "المخطوطات", "التاريخ الشفوي", "الشعر", "الرقمنة"],
    "ur": ["آرکائیو", "مخطوطات", "زبانی تاریخ", "شاعری", "لاہور"],
    "ps": ["آرشیف", "لاسي نسخې", "شعر", "کابل", "ډیجیټل کول"],
}
KEYWORDS_JOINED = {"en": "; ", "fa": "، ", "ar": "، ", "ur": "، ", "ps": "، "}
# Afghan (Dari) names of the solar months, which make a Persian article's Dari evident.
DARI_MONTHS = ["حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله", "میزان", "عقرب", "قوس", "جدی", "دلو", "حوت"]
HIJRI_MONTHS = ["محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان",
                "رمضان", "شوال", "ذو القعدة", "ذو الحجة"]
DATE_LINE = {"en": "Published {d} {m} {y}", "fa": "{d} {m} {y}", "ar": "نشر في {d} {m} {y}",
             "ur": "شائع شدہ: {d} {m} {y}", "ps": "د {y} کال د {m} {d}مه"}
BOILERPLATE = {
    "en": ["Subscribe to our newsletter", "Share on Facebook", "Share on X", "All rights reserved."],
    "fa": ["عضویت در خبرنامه", "هم‌رسانی در فیسبوک", "همهٔ حقوق محفوظ است."],
    "ar": ["اشترك في النشرة البريدية", "شارك على فيسبوك", "جميع الحقوق محفوظة."],
    "ur": ["ہمارے نیوز لیٹر کے لیے سائن اپ کریں", "فیس بک پر شیئر کریں", "جملہ حقوق محفوظ ہیں۔"],
    "ps": ["زموږ خبرپاڼې ته ګډون وکړئ", "په فیسبوک کې یې شریک کړئ", "ټول حقوق خوندي دي."],
}
SEE_ALSO = {"en": "Sources", "fa": "منابع", "ar": "المراجع", "ur": "حوالہ جات", "ps": "سرچینې"}
SITES = ["example.org", "news.example.net", "archive.example.com", "journal.example.af"]
RTL = {"fa", "ar", "ur", "ps"}
_EXT_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# The code page has neither Persian yeh, nor hamza above, nor Arabic-Indic digits: writers used Arabic
# yeh, left the hamza out and typed ASCII digits that fonts displayed in the local shape.
_CP1256_PERSIAN = {ord("ی"): "ي", 0x0654: None}
_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


@dataclass
class Article:
    """One article before it is written in a format: a language-neutral outline of blocks."""

    kind: str
    title: str
    byline: str
    date: str
    url: str
    blocks: list[tuple[str, str, str]]  # (type, lang, text); type: heading, paragraph, quote, verse, item
    sources: list[str]
    boilerplate: list[str]
    # What a reader should find, for bench/extraction.py: the byline's names, the date as written
    # (calendar, year, month, day), and the phrases in another language (block index, phrase, language).
    authors: list[str] = field(default_factory=list)
    published: tuple[str, int, int, int] = ("gregorian", 0, 0, 0)
    phrases: list[tuple[int, str, str]] = field(default_factory=list)
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    dari: bool = False  # a Persian article dated with the Afghan month names

    @property
    def tag(self) -> str:
        """The tag every block in the article's own language should get."""
        return "fa-AF" if self.dari else self.kind

    def front_matter(self) -> list[str]:
        """The abstract and keywords lines, as each format writes them after the date."""
        lines = [f"{ABSTRACT_LABEL[self.kind]}: {self.abstract}"] if self.abstract else []
        if self.keywords:
            lines.append(f"{KEYWORDS_LABEL[self.kind]}: {KEYWORDS_JOINED[self.kind].join(self.keywords)}")
        return lines


def _localize_digits(text: str, lang: str, rng: random.Random) -> str:
    if lang in ("fa", "ps", "ur") and rng.random() < 0.5:
        return text.translate(_EXT_DIGITS)
    if lang == "ar" and rng.random() < 0.3:
        return text.translate(_ARABIC_DIGITS)
    return text


def _fill(sentence: str, lang: str, rng: random.Random) -> str:
    return sentence.format(city=rng.choice(CITIES[lang]), name=rng.choice(NAMES[lang]),
                           year=rng.randrange(1920, 2021, 10), num=rng.randrange(12, 4000))


def _paragraph(lang: str, topic: str, rng: random.Random, used: set[str]) -> str:
    pool = POOLS[lang][topic]
    fresh = [s for s in pool if s not in used] or pool
    picks = rng.sample(fresh, min(len(fresh), rng.randint(2, 5)))
    used.update(picks)
    return " ".join(_fill(s, lang, rng) for s in picks)


def make_article(index: int, seed: int) -> Article:
    """Article `index` of the corpus for `seed`; it depends on nothing else."""
    rng = random.Random(f"{seed}:{index}")
    kind = rng.choices(KINDS, weights=[KIND_WEIGHTS[k] for k in KINDS])[0]
    topics = list(POOLS[kind])
    rng.shuffle(topics)
    topics = topics[: rng.randint(1, 3)]
    target = rng.randint(*TARGET_BYTES)
    city = rng.choice(CITIES[kind])
    title = rng.choice(TITLES[kind]).format(city=city, h=rng.choice(HEADINGS[kind][topics[0]]))
    year, month, day = rng.randint(2008, 2024), rng.randrange(12), rng.randint(1, 28)
    if kind in ("fa", "ps"):
        year -= 621
    date = _localize_digits(DATE_LINE[kind].format(d=day, m=MONTHS[kind][month], y=year), kind, rng)
    site = rng.choice(SITES)
    url = f"https://{site}/{kind}/{year}/{index:06d}"
    blocks: list[tuple[str, str, str]] = []
    phrases: list[tuple[int, str, str]] = []
    used: set[str] = set()
    size = len(title.encode()) + 200
    topic_index = 0
    while size < target:
        topic = topics[topic_index % len(topics)]
        if blocks and rng.random() < 0.25:
            blocks.append(("heading", kind, rng.choice(HEADINGS[kind][topic])))
            topic_index += 1
        text = _localize_digits(_paragraph(kind, topic, rng, used), kind, rng)
        if kind == "en" and rng.random() < 0.35:
            pool = FA_PHRASES if rng.random() < 0.6 else AR_PHRASES
            phrase = rng.choice(pool)
            phrases.append((len(blocks), phrase, "fa" if pool is FA_PHRASES else "ar"))
            text += " " + rng.choice(EN_FRAMES).format(phrase=phrase)
        blocks.append(("paragraph", kind, text))
        roll = rng.random()
        if kind == "en" and roll < 0.25:
            other = rng.choice(["fa", "ar"])
            blocks.append(("quote", other, _paragraph(other, rng.choice(list(POOLS[other])), rng, set())))
        elif kind in ("en", "fa") and roll < 0.32:
            blocks.append(("verse", "fa", "\n".join(rng.choice(FA_VERSE))))
        elif roll < 0.40:
            for _ in range(rng.randint(2, 4)):
                blocks.append(("item", kind, _fill(rng.choice(POOLS[kind][topic]), kind, rng)))
        size = sum(len(b[2].encode()) for b in blocks) + len(title.encode()) + 200
    sources = [f"https://{rng.choice(SITES)}/{kind}/source/{rng.randrange(10**5):05d}"
               for _ in range(rng.randint(0, 3))]
    name = rng.choice(NAMES[kind])
    calendar = "solar-hijri" if kind in ("fa", "ps") else "gregorian"
    article = Article(kind=kind, title=title, byline=BYLINE[kind].format(name=name), date=date,
                      url=url, blocks=blocks, sources=sources,
                      boilerplate=rng.sample(BOILERPLATE[kind], rng.randint(0, len(BOILERPLATE[kind]))),
                      authors=[name], published=(calendar, year, month + 1, day), phrases=phrases)
    variety = random.Random(f"{seed}:{index}:variety")
    _vary_byline_and_date(article, variety)
    _add_front_matter(article, variety)
    return article


def _add_front_matter(a: Article, rng: random.Random) -> None:
    """A quarter of the articles open like papers (abstract, keywords); three in ten Persian ones are
    Dari, dated with the Afghan month names."""
    if rng.random() < 0.25:
        a.abstract = _paragraph(a.kind, rng.choice(list(POOLS[a.kind])), rng, set())
        a.keywords = rng.sample(KEYWORDS[a.kind], rng.randint(2, 4))
    if a.kind == "fa" and rng.random() < 0.3:
        _calendar, year, month, day = a.published
        a.date = _localize_digits(f"{day} {DARI_MONTHS[month - 1]} {year}", a.kind, rng)
        a.dari = True


def _vary_byline_and_date(a: Article, rng: random.Random) -> None:
    """For half the articles, another byline (a second author in one of three of those) and for half
    another way of writing the date."""
    if rng.random() < 0.5:
        if rng.random() < 0.35:
            a.authors.append(rng.choice([n for n in NAMES[a.kind] if n != a.authors[0]]))
        a.byline = rng.choice(OTHER_BYLINES[a.kind]).format(names=AUTHORS_JOINED[a.kind].join(a.authors))
    if rng.random() < 0.5:
        _calendar, year, month, day = a.published
        if a.kind == "ar":
            hijri = Gregorian(year, month, day).to_hijri()
            a.published = ("lunar-hijri", hijri.year, hijri.month, hijri.day)
            a.date = f"{hijri.day} {HIJRI_MONTHS[hijri.month - 1]} {hijri.year} هـ"
        elif a.kind == "en":
            a.date = rng.choice([f"{MONTHS['en'][month - 1]} {day}, {year}", f"{year}-{month:02d}-{day:02d}"])
        elif a.kind in ("fa", "ps"):
            a.date = f"{year}/{month:02d}/{day:02d}"
        else:
            a.date = f"{day} {MONTHS[a.kind][month - 1]} {year}"
        a.date = _localize_digits(a.date, a.kind, rng)


# --- writers, one per format ---------------------------------------------------------------------

def to_text(a: Article) -> str:
    parts = [a.title, f"{a.byline}\n{a.date}", *a.front_matter()]
    for kind, _lang, text in a.blocks:
        if kind == "item":
            if parts and parts[-1].startswith("- "):
                parts[-1] += f"\n- {text}"
            else:
                parts.append(f"- {text}")
        elif kind == "quote":
            parts.append(f"«{text}»")
        else:
            parts.append(text)
    if a.sources:
        parts.append(SEE_ALSO[a.kind])
        parts.append("\n".join(f"{n}. {u}" for n, u in enumerate(a.sources, 1)))
    parts.append(a.url)
    parts.extend(a.boilerplate)
    return "\n\n".join(parts) + "\n"


def to_markdown(a: Article, rng: random.Random) -> str:
    parts = [f"# {a.title}", f"*{a.byline}*  \n{a.date}", *a.front_matter()]
    for kind, _lang, text in a.blocks:
        if kind == "heading":
            parts.append(f"## {text}")
        elif kind == "item":
            if parts[-1].startswith("- "):
                parts[-1] += f"\n- {text}"
            else:
                parts.append(f"- {text}")
        elif kind == "quote":
            parts.append("> " + text)
        elif kind == "verse":
            parts.append("  \n".join(text.split("\n")))
        else:
            words = text.split(" ")
            if len(words) > 8 and rng.random() < 0.5:
                i = rng.randrange(1, len(words) - 3)
                words[i:i + 2] = [f"**{words[i]} {words[i + 1]}**"]
            if rng.random() < 0.3:
                words[-1] = f"[{words[-1]}]({a.url}#{rng.randrange(100)})"
            parts.append(" ".join(words))
    if a.sources:
        parts.append(f"## {SEE_ALSO[a.kind]}")
        parts.append("\n".join(f"{n}. <{u}>" for n, u in enumerate(a.sources, 1)))
    parts.extend(a.boilerplate)
    return "\n\n".join(parts) + "\n"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def to_html(a: Article, charset: str, rng: random.Random) -> str:
    direction = ' dir="rtl"' if a.kind in RTL else ""
    out = [f'<!DOCTYPE html>\n<html lang="{a.kind}"{direction}>\n<head>\n<meta charset="{charset}">',
           f"<title>{_esc(a.title)} | {a.url.split('/')[2]}</title>",
           f'<meta name="author" content="{_esc(a.byline)}">\n</head>\n<body>',
           '<nav><a href="/">Home</a> <a href="/about">About</a> <a href="/contact">Contact</a></nav>',
           f'<article>\n<h1>{_esc(a.title)}</h1>\n<p class="byline">{_esc(a.byline)}</p>',
           f"<p><time>{_esc(a.date)}</time></p>", *(f"<p>{_esc(line)}</p>" for line in a.front_matter())]
    in_list = False
    for kind, lang, text in a.blocks:
        if in_list and kind != "item":
            out.append("</ul>")
            in_list = False
        attrs = f' lang="{lang}" dir="{"rtl" if lang in RTL else "ltr"}"' if lang != a.kind else ""
        if kind == "heading":
            out.append(f"<h2>{_esc(text)}</h2>")
        elif kind == "item":
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{_esc(text)}</li>")
        elif kind == "quote":
            out.append(f"<blockquote{attrs}><p>{_esc(text)}</p></blockquote>")
        elif kind == "verse":
            out.append(f'<p class="verse"{attrs}>' + "<br>".join(_esc(x) for x in text.split("\n")) + "</p>")
        else:
            body = _esc(text)
            if rng.random() < 0.3:
                body = body.replace(". ", f'. <a href="{a.url}#n{rng.randrange(100)}">', 1) + "</a>"
                if "<a " not in body:
                    body = body[: -len("</a>")]
            if rng.random() < 0.3 and " " in body:
                head, _, tail = body.partition(" ")
                body = f"<em>{head}</em> {tail}"
            out.append(f"<p>{body}</p>")
    if in_list:
        out.append("</ul>")
    if a.sources:
        out.append(f"<h2>{_esc(SEE_ALSO[a.kind])}</h2>\n<ol>")
        out.extend(f'<li><a href="{u}">{u}</a></li>' for u in a.sources)
        out.append("</ol>")
    out.append("</article>")
    if a.boilerplate:
        out.append("<footer>" + "".join(f"<p>{_esc(b)}</p>" for b in a.boilerplate) + "</footer>")
    out.append("</body>\n</html>\n")
    return "\n".join(out)


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def to_pdf(a: Article) -> bytes:
    """A Latin-text PDF (Helvetica, WinAnsiEncoding) with a real text layer, one line per Tj."""
    lines: list[tuple[int, str]] = [(16, a.title), (10, ""), (10, a.byline), (10, a.date), (10, "")]
    for line in a.front_matter():
        lines.extend((10, part) for part in textwrap.wrap(line, 92))
        lines.append((10, ""))
    for kind, lang, text in a.blocks:
        if lang != "en" or kind == "verse":
            continue  # Helvetica has no Arabic-script glyphs
        size = 13 if kind == "heading" else 10
        prefix = "- " if kind == "item" else ""
        lines.extend((size, line) for line in textwrap.wrap(prefix + text, 92 if size == 10 else 70))
        lines.append((10, ""))
    lines.extend((10, u) for u in a.sources)
    per_page = 50
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)]
    objects: list[bytes] = []
    page_ids = [4 + 2 * i for i in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for page_id, page in zip(page_ids, pages, strict=True):
        stream = [b"BT", b"72 740 Td"]
        for size, line in page:
            stream.append(b"/F1 %d Tf 0 -%d Td %s Tj" % (size, size + 4, _pdf_string(line)))
        stream.append(b"ET")
        content = b"\n".join(stream)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
                       b" /Contents %d 0 R >>" % (page_id + 1))
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    info_id = len(objects) + 1
    objects.append(b"<< /Title %s /Author %s /Producer (archive bench corpus) >>"
                   % (_pdf_string(a.title), _pdf_string(a.byline.removeprefix("By "))))
    body = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, info_id, xref)
    return bytes(body)


def _cp1256(text: str, lang: str) -> bytes | None:
    """Text as Windows-1256 editors wrote it, or None when the code page cannot hold it (Pashto, Urdu)."""
    if lang == "fa":
        text = text.translate(_CP1256_PERSIAN)
    text = text.translate(_ASCII_DIGITS)
    try:
        return text.encode("cp1256")
    except UnicodeEncodeError:
        return None


@dataclass(frozen=True)
class Document:
    name: str
    kind: str
    format: str
    encoding: str
    data: bytes


def make_document(index: int, seed: int) -> Document:
    """Document `index`: an article written in a format and an encoding drawn for it."""
    article = make_article(index, seed)
    rng = random.Random(f"{seed}:{index}:format")
    arabic_script = article.kind in RTL
    fmt = rng.choices(FORMATS, weights=[1, 1, 1, 1 if article.kind == "en" else 0])[0]
    name = f"{fmt}/doc{index:06d}.{fmt}"
    if fmt == "pdf":
        return Document(name, article.kind, fmt, "binary", to_pdf(article))
    roll = rng.random()
    if fmt == "html":
        wants_1256 = arabic_script and roll < 0.3
        html = to_html(article, "windows-1256" if wants_1256 else "utf-8", rng)
        data = _cp1256(html, article.kind) if wants_1256 else None
        if data is not None:
            return Document(name, article.kind, fmt, "windows-1256", data)
        return Document(name, article.kind, fmt, "utf-8", to_html(article, "utf-8", rng).encode())
    text = to_text(article) if fmt == "txt" else to_markdown(article, rng)
    if arabic_script and roll < (0.35 if fmt == "txt" else 0.1):
        data = _cp1256(text, article.kind)
        if data is not None:
            return Document(name, article.kind, fmt, "windows-1256", data)
    if roll > (0.8 if fmt == "txt" else 0.95):
        return Document(name, article.kind, fmt, "utf-16", text.encode("utf-16"))
    return Document(name, article.kind, fmt, "utf-8", text.encode())


def write_corpus(out: Path, n: int, seed: int = 1) -> list[Document]:
    """Write documents 0..n-1 under `out` and the manifest; returns them without their bytes kept alive."""
    out.mkdir(parents=True, exist_ok=True)
    for fmt in FORMATS:
        (out / fmt).mkdir(exist_ok=True)
    docs = []
    rows = ["name\tkind\tformat\tencoding\tbytes"]
    for index in range(n):
        doc = make_document(index, seed)
        (out / doc.name).write_bytes(doc.data)
        rows.append(f"{doc.name}\t{doc.kind}\t{doc.format}\t{doc.encoding}\t{len(doc.data)}")
        docs.append(Document(doc.name, doc.kind, doc.format, doc.encoding, b""))
    (out / ".manifest.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return docs


def read_manifest(out: Path) -> list[dict[str, str]]:
    lines = (out / ".manifest.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:] if line]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the corpus into")
    parser.add_argument("-n", type=int, default=2000, help="number of documents (default 2000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    docs = write_corpus(args.out, args.n, args.seed)
    total = sum(f.stat().st_size for f in args.out.rglob("doc*"))
    mix: dict[str, int] = {}
    for doc in docs:
        key = f"{doc.format}/{doc.encoding}"
        mix[key] = mix.get(key, 0) + 1
    print(f"{len(docs)} documents, {total / 1e6:.1f} MB in {args.out}")
    print("  " + ", ".join(f"{k}: {v}" for k, v in sorted(mix.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
